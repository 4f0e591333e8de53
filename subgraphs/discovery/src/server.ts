import { RateLimits } from "@pulse/platform/server";
import {
  closeInfrastructure,
  connectInfrastructure,
  LivePubSub,
  Subgraph,
  type ServiceOptions,
  type SubgraphService,
} from "@pulse/platform/subgraph";
import { DiscoverService } from "./candidate/discover.service.ts";
import type { DiscoveryConfig } from "./config.ts";
import { createDiscoveryContext, type DiscoveryContext } from "./context.ts";
import { discoveryEventHandlers } from "./events/handlers.ts";
import { MatchService } from "./match/match.service.ts";
import { DISCOVERY_RATE_LIMITS } from "./rate-limits.ts";
import { buildDiscoverySchema } from "./schema.ts";
import { DailyLimits } from "./swipe/daily-limits.service.ts";
import { SwipeService } from "./swipe/swipe.service.ts";

export interface DiscoveryService extends SubgraphService {
  subgraph: Subgraph<DiscoveryContext>;
}

/**
 * Wires the discovery subgraph: connections, services, event handlers and server. Nothing
 * listens until `subgraph.listen`.
 */
export async function createDiscoveryService(
  config: DiscoveryConfig,
  options: ServiceOptions = {},
): Promise<DiscoveryService> {
  const infra = connectInfrastructure("discovery", config, options);
  const { prisma, redis, redisPrefix, logger, outbox } = infra;
  const live = new LivePubSub(config.REDIS_URL, redisPrefix, logger);
  const matches = new MatchService({ prisma, outbox, live, logger });
  const swipes = new SwipeService({
    prisma,
    matches,
    limits: new DailyLimits(redis, redisPrefix),
  });
  const discover = new DiscoverService(prisma, infra.reads);

  const limits = new RateLimits(redis, redisPrefix, DISCOVERY_RATE_LIMITS, config.RATE_LIMITS);
  const services = { prisma, discover, swipes, matches, limits };

  const subgraph = new Subgraph<DiscoveryContext>({
    infra,
    schema: await buildDiscoverySchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    context: (identity) => createDiscoveryContext(identity, services),
    eventHandlers: discoveryEventHandlers(matches),
  });
  return {
    subgraph,
    async close() {
      await subgraph.close();
      await live.close();
      await closeInfrastructure(infra);
    },
  };
}
