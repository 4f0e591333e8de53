import { buildFederatedSchema } from "@pulse/platform/subgraph";
import type { GraphQLSchema } from "graphql";
import { CheckoutResolver } from "./checkout/checkout.resolver.ts";
import { PlanResolver } from "./plan/plan.resolver.ts";
import { userReferenceResolvers } from "./user/user.reference.ts";
import { UserBillingResolver } from "./user/user.resolver.ts";
import { User } from "./user/user.type.ts";

/** Billing's subgraph schema. Building it has no side effects (no connections). */
export function buildBillingSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [PlanResolver, CheckoutResolver, UserBillingResolver],
    // Nothing billing returns is a User: the entity it extends must be listed.
    orphanedTypes: [User],
    referenceResolvers: { ...userReferenceResolvers },
  });
}
