import {
  RateLimits,
  type Logger,
  type RateLimitTable,
  type RedisConnection,
} from "@pulse/platform/server";
import {
  closeInfrastructure,
  connectInfrastructure,
  LivePubSub,
  Subgraph,
  type Outbox,
  type PrismaClient,
  type ServiceOptions,
  type SubgraphService,
} from "@pulse/platform/subgraph";
import { ActivityService } from "./activity/activity.service.ts";
import { CompetitionService } from "./competition/competition.service.ts";
import { DemoFeed } from "./demo/demo-feed.ts";
import type { CompetitionsConfig } from "./config.ts";
import {
  createCompetitionsContext,
  type CompetitionsContext,
  type CompetitionsServices,
} from "./context.ts";
import { competitionsEventHandlers } from "./events/event-handlers.ts";
import { IndexCatchUp } from "./leaderboard/index-catch-up.ts";
import { LeaderboardIndex } from "./leaderboard/leaderboard-index.ts";
import { LeaderboardService } from "./leaderboard/leaderboard.service.ts";
import { RankFeed } from "./leaderboard/rank-feed.service.ts";
import { COMPETITIONS_RATE_LIMITS } from "./rate-limits.ts";
import { RatingService } from "./rating/rating.service.ts";
import { buildCompetitionsSchema } from "./schema.ts";

export interface CompetitionsService extends SubgraphService {
  subgraph: Subgraph<CompetitionsContext>;
  services: CompetitionsServices;
}

export interface CompetitionsServicesDeps {
  prisma: PrismaClient;
  /** Lag-tolerant reads (ADR 0025): the rating ladder. */
  reads: PrismaClient;
  redis: RedisConnection;
  redisPrefix: string;
  live: LivePubSub;
  logger: Logger;
  outbox: Outbox;
  /** The clock; tests move it. */
  now?: () => Date;
  /** Changes to the rate limits (`RATE_LIMITS`). */
  rateLimits?: RateLimitTable;
}

/** Competitions' services over one database pool, one Redis connection and one live pub/sub. */
export function createCompetitionsServices(deps: CompetitionsServicesDeps): CompetitionsServices {
  const { prisma, reads, redis, redisPrefix, live, logger, outbox, now, rateLimits } = deps;
  const clock = now ? { now } : {};
  const index = new LeaderboardIndex({
    prisma,
    redis,
    redisPrefix,
    logger,
    channel: (topic) => live.channel(topic),
  });
  const competitions = new CompetitionService({ prisma, outbox, index, ...clock });
  return {
    prisma,
    outbox,
    logger,
    index,
    catchUp: new IndexCatchUp({ prisma, redis, redisPrefix, index, logger }),
    competitions,
    activity: new ActivityService({ prisma, index, ...clock }),
    leaderboards: new LeaderboardService(index),
    ratings: new RatingService({ prisma, reads, logger, ...clock }),
    rankFeed: new RankFeed({ prisma, live, index, competitions }),
    limits: new RateLimits(redis, redisPrefix, COMPETITIONS_RATE_LIMITS, rateLimits),
  };
}

/**
 * Wires the competitions subgraph: connections, services, event handlers, the finisher's sweep
 * (applies finished competitions' ratings), the leaderboards' catch-up and server. Nothing listens until `subgraph.listen`.
 */
export async function createCompetitionsService(
  config: CompetitionsConfig,
  options: ServiceOptions = {},
): Promise<CompetitionsService> {
  const infra = connectInfrastructure("competitions", config, options);
  const { prisma, reads, redis, redisPrefix, logger, outbox } = infra;
  const live = new LivePubSub(config.REDIS_URL, redisPrefix, logger);
  const services = createCompetitionsServices({
    prisma,
    reads,
    redis,
    redisPrefix,
    live,
    logger,
    outbox,
    rateLimits: config.RATE_LIMITS,
  });

  const subgraph = new Subgraph<CompetitionsContext>({
    infra,
    schema: await buildCompetitionsSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    context: (identity) => createCompetitionsContext(identity, services),
    eventHandlers: competitionsEventHandlers(services),
  });
  const sweep = setInterval(() => {
    services.ratings
      .applyFinished()
      .catch((error: unknown) => logger.warn({ err: error }, "rating sweep failed"));
  }, config.RATING_SWEEP_MS);
  sweep.unref();
  const stopCatchUp = services.catchUp.start();
  // Development only: a demo activity feed keeps the demo leaderboard moving.
  const demoFeed = new DemoFeed(services, logger);
  const demo =
    config.NODE_ENV === "development" && config.DEMO_ACTIVITY_MS > 0
      ? setInterval(() => {
          demoFeed
            .tick()
            .catch((error: unknown) => logger.warn({ err: error }, "demo activity failed"));
        }, config.DEMO_ACTIVITY_MS)
      : undefined;
  demo?.unref();
  return {
    subgraph,
    services,
    async close() {
      clearInterval(sweep);
      stopCatchUp();
      clearInterval(demo);
      await subgraph.close();
      await live.close();
      await closeInfrastructure(infra);
    },
  };
}
