import { buildFederatedSchema } from "@pulse/platform/subgraph";
import type { GraphQLSchema } from "graphql";
import { CandidateResolver } from "./candidate/candidate.resolver.ts";
import { matchReferenceResolvers } from "./match/match.reference.ts";
import { MatchResolver } from "./match/match.resolver.ts";
import { SwipeResolver } from "./swipe/swipe.resolver.ts";

/** Discovery's subgraph schema. Building it has no side effects (no connections). */
export function buildDiscoverySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [CandidateResolver, SwipeResolver, MatchResolver],
    referenceResolvers: matchReferenceResolvers,
  });
}
