import type { SubgraphContext } from "@pulse/platform";
import type { BlockService } from "./block/block.service.ts";
import type { createVisiblePhotosLoader } from "./photo/photo.loader.ts";
import type { PhotoService } from "./photo/photo.service.ts";
import type { createProfileLoader } from "./profile/profile.loader.ts";
import type { ProfileService } from "./profile/profile.service.ts";
import type { SearchService } from "./search/search.service.ts";

/** Profiles' per-request context: who is calling, request-scoped loaders, and the services. */
export interface ProfilesContext extends SubgraphContext {
  loaders: {
    profile: ReturnType<typeof createProfileLoader>;
    visiblePhotos: ReturnType<typeof createVisiblePhotosLoader>;
  };
  profiles: ProfileService;
  photos: PhotoService;
  blocks: BlockService;
  search: SearchService;
}
