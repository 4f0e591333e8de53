import type { SubgraphContext } from "@pulse/platform/subgraph";
import type { DiscoverService } from "./candidate/discover.service.ts";
import type { createMatchLoader } from "./match/match.loader.ts";
import type { MatchService } from "./match/match.service.ts";
import type { SwipeService } from "./swipe/swipe.service.ts";

/** Discovery's per-request context: who is calling, request-scoped loaders, and the services. */
export interface DiscoveryContext extends SubgraphContext {
  loaders: { match: ReturnType<typeof createMatchLoader> };
  discover: DiscoverService;
  swipes: SwipeService;
  matches: MatchService;
}
