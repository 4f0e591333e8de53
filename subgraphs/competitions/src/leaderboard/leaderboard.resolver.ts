import type { Competition as CompetitionRow } from "@pulse/db";
import { Ctx, FieldResolver, Float, Resolver, Root } from "type-graphql";
import { fromMilli } from "../competition/competition.rules.ts";
import { Competition } from "../competition/competition.type.ts";
import type { CompetitionsContext } from "../context.ts";
import { User, type UserRef } from "../user/user.type.ts";
import {
  LeaderboardEntry,
  Standing,
  type LeaderboardEntrySource,
  type StandingSource,
} from "./leaderboard.type.ts";

@Resolver(() => Standing)
export class StandingResolver {
  @FieldResolver(() => Competition, { description: "The competition." })
  async competition(
    @Root() standing: StandingSource,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<CompetitionRow> {
    const competition = await ctx.loaders.competition.load(standing.competitionId);
    if (!competition) throw new Error(`standing without competition ${standing.competitionId}`);
    return competition;
  }

  @FieldResolver(() => Float, { description: "Their score, in the competition metric's unit." })
  score(@Root() standing: StandingSource): number {
    return fromMilli(standing.scoreMilli);
  }
}

@Resolver(() => LeaderboardEntry)
export class LeaderboardEntryResolver {
  @FieldResolver(() => Float, { description: "Their score, in the competition metric's unit." })
  score(@Root() entry: LeaderboardEntrySource): number {
    return fromMilli(entry.scoreMilli);
  }

  @FieldResolver(() => User, { description: "The participant." })
  user(@Root() entry: LeaderboardEntrySource): UserRef {
    return { id: entry.userId };
  }
}
