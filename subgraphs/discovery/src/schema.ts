import { buildFederatedSchema } from "@pulse/platform";
import type { GraphQLSchema } from "graphql";
import type { BuildSchemaOptions } from "type-graphql";
import { CandidateResolver } from "./candidate/candidate.resolver.ts";
import { matchReferenceResolvers } from "./match/match.reference.ts";
import { MatchResolver } from "./match/match.resolver.ts";
import { SwipeResolver } from "./swipe/swipe.resolver.ts";

/**
 * type-graphql requires a pubSub as soon as a subscription exists, even when every subscription
 * brings its own `subscribe`. Ours subscribe through the request context's LivePubSub, so that
 * building the schema opens no connection; this one only satisfies the check and is never used.
 */
const subscribeThroughContext: NonNullable<BuildSchemaOptions["pubSub"]> = {
  publish: () => {
    throw new Error("Publish live notifications through LivePubSub");
  },
  subscribe: () => {
    throw new Error("Subscriptions subscribe through the context's LivePubSub");
  },
};

/** Discovery's subgraph schema. Building it has no side effects (no connections). */
export function buildDiscoverySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [CandidateResolver, SwipeResolver, MatchResolver],
    referenceResolvers: matchReferenceResolvers,
    pubSub: subscribeThroughContext,
  });
}
