import { buildFederatedSchema } from "@pulse/platform/subgraph";
import type { GraphQLSchema } from "graphql";
import { ActivityResolver } from "./activity/activity.resolver.ts";
import { competitionReferenceResolvers } from "./competition/competition.reference.ts";
import { CompetitionResolver } from "./competition/competition.resolver.ts";
import { LeaderboardEntryResolver, StandingResolver } from "./leaderboard/leaderboard.resolver.ts";
import { RankChangedResolver } from "./leaderboard/rank-changed.resolver.ts";
import { RatingResolver } from "./rating/rating.resolver.ts";

/** Competitions' subgraph schema. Building it has no side effects (no connections). */
export function buildCompetitionsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      CompetitionResolver,
      ActivityResolver,
      StandingResolver,
      LeaderboardEntryResolver,
      RankChangedResolver,
      RatingResolver,
    ],
    referenceResolvers: { ...competitionReferenceResolvers },
  });
}
