import { type ForwardedIdentity, type Logger } from "@pulse/platform/server";
import {
  clearMadeLoaders,
  defineLoaders,
  type Outbox,
  type PrismaClient,
  type SubgraphContext,
} from "@pulse/platform/subgraph";
import type { ActivityService } from "./activity/activity.service.ts";
import { competitionLoaders } from "./competition/competition.loader.ts";
import type { CompetitionService } from "./competition/competition.service.ts";
import type { IndexCatchUp } from "./leaderboard/index-catch-up.ts";
import type { LeaderboardIndex } from "./leaderboard/leaderboard-index.ts";
import type { LeaderboardService } from "./leaderboard/leaderboard.service.ts";
import type { CompetitionsRateLimits } from "./rate-limits.ts";
import type { RankFeed } from "./leaderboard/rank-feed.service.ts";
import type { RatingService } from "./rating/rating.service.ts";

/** Competitions' long-lived services, shared by every request. */
export interface CompetitionsServices {
  prisma: PrismaClient;
  outbox: Outbox;
  logger: Logger;
  index: LeaderboardIndex;
  /** Applies to the boards the committed writes Redis missed (a crash, a failed write). */
  catchUp: IndexCatchUp;
  competitions: CompetitionService;
  activity: ActivityService;
  leaderboards: LeaderboardService;
  ratings: RatingService;
  /** `leaderboardRankChanged` and `myRankChanged`, over the boards' live channels. */
  rankFeed: RankFeed;
  /** Attempts per person (`limits.consume(name, key)`). */
  limits: CompetitionsRateLimits;
}

/** Makes a context's loaders, each on first use. */
const competitionsLoaders = defineLoaders({ ...competitionLoaders });

export type CompetitionsLoaders = ReturnType<typeof competitionsLoaders>;

/** Competitions' per-request (or per-subscription) context. */
export interface CompetitionsContext
  extends SubgraphContext, Omit<CompetitionsServices, "prisma" | "outbox" | "logger" | "index"> {
  loaders: CompetitionsLoaders;
}

/** The context of one request (or subscription) from the gateway-signed identity. */
export function createCompetitionsContext(
  identity: ForwardedIdentity,
  services: CompetitionsServices,
): CompetitionsContext {
  const { prisma, outbox: _outbox, logger: _logger, index: _index, ...rest } = services;
  return {
    ...identity,
    ...rest,
    // Made on first use: a subscription's context lives as long as the subscription.
    loaders: competitionsLoaders({ prisma, viewerId: identity.viewer?.id }),
  };
}

/** Forgets what a subscription's loaders cached, so each event is resolved afresh. */
export function clearLoaders(ctx: CompetitionsContext): void {
  clearMadeLoaders(ctx.loaders);
}
