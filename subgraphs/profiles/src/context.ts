import type { ForwardedIdentity } from "@pulse/platform/server";
import type { SubgraphContext } from "@pulse/platform/subgraph";
import type { BlockService } from "./block/block.service.ts";
import type { PhotoService } from "./photo/photo.service.ts";
import type { ProfileCards } from "./profile/profile-cards.service.ts";
import type { ProfileService } from "./profile/profile.service.ts";
import type { ProfilesRateLimits } from "./rate-limits.ts";
import type { SearchService } from "./search/search.service.ts";

/** Profiles' long-lived services, shared by every request. */
export interface ProfilesServices {
  /** People's profiles and visible photos, through the process's cache. */
  cards: ProfileCards;
  profiles: ProfileService;
  photos: PhotoService;
  blocks: BlockService;
  search: SearchService;
  /** Attempts per person (`limits.consume(name, key)`). */
  limits: ProfilesRateLimits;
}

/** Profiles' per-request context: who is calling, request-scoped loaders, and the services. */
export interface ProfilesContext extends SubgraphContext, Omit<ProfilesServices, "cards"> {
  loaders: { card: ReturnType<ProfileCards["loader"]> };
}

/** The context of one request from the gateway-signed identity. */
export function createProfilesContext(
  identity: ForwardedIdentity,
  services: ProfilesServices,
): ProfilesContext {
  const { cards, ...rest } = services;
  return { ...identity, ...rest, loaders: { card: cards.loader() } };
}
