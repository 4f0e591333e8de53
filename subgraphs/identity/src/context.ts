import type { SubgraphContext } from "@pulse/platform/subgraph";
import type { AccountService } from "./account/account.service.ts";
import type { PasswordService } from "./password/password.service.ts";
import type { SessionService } from "./session/session.service.ts";
import type { createAccountLoader } from "./user/user.loader.ts";

/** Identity's per-request context: who is calling, request-scoped loaders, and the services. */
export interface IdentityContext extends SubgraphContext {
  loaders: { account: ReturnType<typeof createAccountLoader> };
  sessions: SessionService;
  passwords: PasswordService;
  accounts: AccountService;
}
