import type { Competition as CompetitionRow } from "@pulse/db";
import { requireViewer } from "@pulse/platform/server";
import {
  Arg,
  Ctx,
  FieldResolver,
  Float,
  ID,
  Int,
  Resolver,
  Root,
  Subscription,
} from "type-graphql";
import { fromMilli } from "../competition/competition.rules.ts";
import { Competition } from "../competition/competition.type.ts";
import { clearLoaders, type CompetitionsContext } from "../context.ts";
import { User, type UserRef } from "../user/user.type.ts";
import { RankChange, type RankChangeSource } from "./leaderboard.type.ts";
import type { RankEvent } from "./rank-feed.service.ts";

@Resolver(() => RankChange)
export class RankChangedResolver {
  @Subscription(() => RankChange, {
    description:
      "Changes in a competition's top `top`: an entry inside it changes rank or score, enters or leaves it. Any signed-in person may watch.",
    subscribe: ({ args, context }) => {
      const ctx = context as CompetitionsContext;
      requireViewer(ctx);
      const { competitionId, top } = args as { competitionId: string; top?: number | null };
      return ctx.rankFeed.leaderboard(competitionId, top, ctx.resume?.after, ctx.resume?.since);
    },
  })
  leaderboardRankChanged(
    @Root() event: RankEvent,
    @Arg("competitionId", () => ID, { description: "The competition." }) _competitionId: string,
    @Arg("top", () => Int, {
      nullable: true,
      description: "How many entries from the top to follow: 100 by default, at most 1000.",
    })
    _top: number | null | undefined,
    @Ctx() ctx: CompetitionsContext,
  ): RankChangeSource {
    return reached(event, ctx);
  }

  @Subscription(() => RankChange, {
    description:
      "Every change of the viewer's own rank in a competition they joined, also one caused by others (someone overtaking them). Participants only.",
    subscribe: ({ args, context }) => {
      const ctx = context as CompetitionsContext;
      const { competitionId } = args as { competitionId: string };
      return ctx.rankFeed.myRank(
        requireViewer(ctx),
        competitionId,
        ctx.resume?.after,
        ctx.resume?.since,
      );
    },
  })
  myRankChanged(
    @Root() event: RankEvent,
    @Arg("competitionId", () => ID, { description: "The competition." }) _competitionId: string,
    @Ctx() ctx: CompetitionsContext,
  ): RankChangeSource {
    return reached(event, ctx);
  }

  @FieldResolver(() => Competition, { description: "The competition." })
  competition(@Root() change: RankEvent): CompetitionRow {
    // Read when the subscription started: no query per event.
    return change.competition;
  }

  @FieldResolver(() => User, { description: "Whose rank changed." })
  user(@Root() change: RankChangeSource): UserRef {
    return { id: change.userId };
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: "Their score now; null when they left the competition.",
  })
  score(@Root() change: RankChangeSource): number | null {
    return change.scoreMilli === null ? null : fromMilli(change.scoreMilli);
  }
}

/** Records where the event leaves the stream, and resolves it afresh. */
function reached(event: RankEvent, ctx: CompetitionsContext): RankChangeSource {
  clearLoaders(ctx);
  ctx.resume?.reached(event.position, event.sharedState);
  return event;
}
