import type { ForwardedIdentity } from "@pulse/platform/server";
import type { PrismaClient, SubgraphContext } from "@pulse/platform/subgraph";
import type { AccountService } from "./account/account.service.ts";
import type { PasswordService } from "./password/password.service.ts";
import type { IdentityRateLimits } from "./rate-limits.ts";
import type { SessionService } from "./session/session.service.ts";
import { createAccountLoader } from "./user/user.loader.ts";

/** Identity's long-lived services, shared by every request. */
export interface IdentityServices {
  prisma: PrismaClient;
  sessions: SessionService;
  passwords: PasswordService;
  accounts: AccountService;
  /** Attempts per client address or email (`limits.consume(name, key)`). */
  limits: IdentityRateLimits;
}

/** Identity's per-request context: who is calling, request-scoped loaders, and the services. */
export interface IdentityContext extends SubgraphContext, Omit<IdentityServices, "prisma"> {
  loaders: { account: ReturnType<typeof createAccountLoader> };
}

/** The context of one request from the gateway-signed identity. */
export function createIdentityContext(
  identity: ForwardedIdentity,
  services: IdentityServices,
): IdentityContext {
  const { prisma, ...rest } = services;
  return { ...identity, ...rest, loaders: { account: createAccountLoader(prisma) } };
}
