import type { ForwardedIdentity } from "@pulse/platform/server";
import type { PrismaClient, SubgraphContext } from "@pulse/platform/subgraph";
import type { DiscoverService } from "./candidate/discover.service.ts";
import { createMatchLoader } from "./match/match.loader.ts";
import type { MatchService } from "./match/match.service.ts";
import type { DiscoveryRateLimits } from "./rate-limits.ts";
import type { SwipeService } from "./swipe/swipe.service.ts";

/** Discovery's long-lived services, shared by every request. */
export interface DiscoveryServices {
  prisma: PrismaClient;
  discover: DiscoverService;
  swipes: SwipeService;
  matches: MatchService;
  /** Attempts per person (`limits.consume(name, key)`). */
  limits: DiscoveryRateLimits;
}

/** Discovery's per-request context: who is calling, request-scoped loaders, and the services. */
export interface DiscoveryContext extends SubgraphContext, Omit<DiscoveryServices, "prisma"> {
  loaders: { match: ReturnType<typeof createMatchLoader> };
}

/** The context of one request from the gateway-signed identity. */
export function createDiscoveryContext(
  identity: ForwardedIdentity,
  services: DiscoveryServices,
): DiscoveryContext {
  const { prisma, ...rest } = services;
  return { ...identity, ...rest, loaders: { match: createMatchLoader(prisma) } };
}
