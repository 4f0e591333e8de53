import type { SubgraphContext } from "@pulse/platform/subgraph";
import type { BlockService } from "./block/block.service.ts";
import type { PhotoService } from "./photo/photo.service.ts";
import type { ProfileCards } from "./profile/profile-cards.ts";
import type { ProfileService } from "./profile/profile.service.ts";
import type { SearchService } from "./search/search.service.ts";

/** Profiles' per-request context: who is calling, request-scoped loaders, and the services. */
export interface ProfilesContext extends SubgraphContext {
  loaders: {
    /** People's profiles and visible photos, through the process's cache. */
    card: ReturnType<ProfileCards["loader"]>;
  };
  profiles: ProfileService;
  photos: PhotoService;
  blocks: BlockService;
  search: SearchService;
}
