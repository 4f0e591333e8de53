import { RateLimits, sendJson, SessionRevocations } from "@pulse/platform/server";
import {
  closeInfrastructure,
  connectInfrastructure,
  Subgraph,
  type ServiceOptions,
  type SubgraphService,
} from "@pulse/platform/subgraph";
import type { JWK } from "jose";
import { AccountService } from "./account/account.service.ts";
import type { IdentityConfig } from "./config.ts";
import { createIdentityContext, type IdentityContext } from "./context.ts";
import { OutboxMailer } from "./mail/mail.service.ts";
import { PasswordService } from "./password/password.service.ts";
import { IDENTITY_RATE_LIMITS } from "./rate-limits.ts";
import { buildIdentitySchema } from "./schema.ts";
import { SessionService } from "./session/session.service.ts";
import { AccessTokenIssuer } from "./tokens/access-token.service.ts";
import { SigningKeys } from "./tokens/signing-keys.service.ts";

export interface IdentityService extends SubgraphService {
  subgraph: Subgraph<IdentityContext>;
}

/**
 * Wires the identity subgraph: connections, keys, services and server. Nothing listens until
 * `subgraph.listen`.
 */
export async function createIdentityService(
  config: IdentityConfig,
  options: ServiceOptions = {},
): Promise<IdentityService> {
  const infra = connectInfrastructure("identity", config, options);
  const { prisma, redis, redisPrefix, logger, outbox } = infra;
  const keys = await SigningKeys.fromPem(
    config.JWT_PRIVATE_KEY,
    config.JWT_PREVIOUS_PUBLIC_KEYS as JWK[],
  );
  const accessTokens = new AccessTokenIssuer(keys, {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const mailer = new OutboxMailer(prisma, logger);
  const limits = new RateLimits(redis, redisPrefix, IDENTITY_RATE_LIMITS, config.RATE_LIMITS);
  const revocations = new SessionRevocations(redis, redisPrefix);
  const announceRevoked = (sessionIds: string[]) =>
    revocations.revoke(sessionIds, config.ACCESS_TOKEN_TTL_SECONDS);
  const accounts = new AccountService({
    prisma,
    mailer,
    outbox,
    appUrl: config.APP_URL,
    announceRevoked,
  });
  const sessions = new SessionService({
    prisma,
    accessTokens,
    accounts,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    announceRevoked,
    limits,
  });
  const passwords = new PasswordService({
    prisma,
    mailer,
    sessions,
    appUrl: config.APP_URL,
    limits,
  });

  const services = { prisma, sessions, passwords, accounts, limits };

  const subgraph = new Subgraph<IdentityContext>({
    infra,
    schema: await buildIdentitySchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    context: (identity) => createIdentityContext(identity, services),
    routes: {
      "/.well-known/jwks.json": (_req, res) => {
        res.setHeader("cache-control", "public, max-age=300");
        sendJson(res, 200, keys.jwks());
      },
    },
  });
  return {
    subgraph,
    async close() {
      await subgraph.close();
      await closeInfrastructure(infra);
    },
  };
}
