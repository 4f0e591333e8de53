import { buildFederatedSchema } from "@pulse/platform/subgraph";
import type { GraphQLSchema } from "graphql";
import { AccountResolver } from "./account/account.resolver.ts";
import { PasswordResolver } from "./password/password.resolver.ts";
import { SessionResolver } from "./session/session.resolver.ts";
import { userReferenceResolvers } from "./user/user.reference.ts";
import { UserResolver } from "./user/user.resolver.ts";

/** Identity's subgraph schema. Building it has no side effects (no connections). */
export function buildIdentitySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [UserResolver, SessionResolver, PasswordResolver, AccountResolver],
    referenceResolvers: userReferenceResolvers,
  });
}
