import { createRedis, RateLimits } from "@pulse/platform/server";
import {
  closeInfrastructure,
  connectInfrastructure,
  Subgraph,
  type ServiceOptions,
  type SubgraphService,
} from "@pulse/platform/subgraph";
import { BlockService } from "./block/block.service.ts";
import type { ProfilesConfig } from "./config.ts";
import { createProfilesContext, type ProfilesContext } from "./context.ts";
import { profilesEventHandlers } from "./events/handlers.ts";
import { AllowAllModerator, type PhotoModerator } from "./photo/photo-moderation.adapter.ts";
import { PhotoService } from "./photo/photo.service.ts";
import { PhotoStorage } from "./photo/photo-storage.adapter.ts";
import { ProfileCards } from "./profile/profile-cards.service.ts";
import { ProfileService } from "./profile/profile.service.ts";
import { PROFILES_RATE_LIMITS } from "./rate-limits.ts";
import { buildProfilesSchema } from "./schema.ts";
import { SearchService } from "./search/search.service.ts";

export interface ProfilesService extends SubgraphService {
  subgraph: Subgraph<ProfilesContext>;
}

export interface ProfilesServiceOptions extends ServiceOptions {
  /** Reviews photos before they become visible. @default allows everything */
  moderator?: PhotoModerator;
}

/**
 * Wires the profiles subgraph: connections, photo storage, services and server. Nothing listens
 * until `subgraph.listen`.
 */
export async function createProfilesService(
  config: ProfilesConfig,
  { moderator = new AllowAllModerator(), ...options }: ProfilesServiceOptions = {},
): Promise<ProfilesService> {
  const infra = connectInfrastructure("profiles", config, options);
  const { prisma, logger, outbox } = infra;
  const storage = new PhotoStorage({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    cdnBaseUrl: config.PHOTO_CDN_BASE_URL,
  });
  const cacheSubscriber = createRedis(config.REDIS_URL, "profiles-cache-subscriber", logger, {
    subscriber: true,
  });
  const cards = await ProfileCards.open(prisma, {
    redisPrefix: infra.redisPrefix,
    publisher: infra.redis,
    subscriber: cacheSubscriber,
    maxEntries: config.PROFILE_CACHE_ENTRIES,
    ttlMs: config.PROFILE_CACHE_TTL_SECONDS * 1000,
    logger,
    registry: infra.metrics.registry,
  });
  const profiles = new ProfileService({ prisma, outbox, cards });
  const photos = new PhotoService({ prisma, outbox, storage, moderator, logger, cards });
  const blocks = new BlockService({ prisma, outbox });
  const search = new SearchService({ reads: infra.reads, blocks });

  const limits = new RateLimits(
    infra.redis,
    infra.redisPrefix,
    PROFILES_RATE_LIMITS,
    config.RATE_LIMITS,
  );
  const services = { cards, profiles, photos, blocks, search, limits };

  const subgraph = new Subgraph<ProfilesContext>({
    infra,
    schema: await buildProfilesSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    context: (identity) => createProfilesContext(identity, services),
    eventHandlers: profilesEventHandlers({ storage, cards, logger }),
  });
  return {
    subgraph,
    async close() {
      await subgraph.close();
      cacheSubscriber.disconnect();
      storage.close();
      await closeInfrastructure(infra);
    },
  };
}
