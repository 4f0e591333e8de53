import type { Photo as PhotoRow, Profile as ProfileRow } from "@pulse/db";
import { ReplicatedCache, type ReplicatedCacheOptions } from "@pulse/platform/server";
import { isUuid, PREPARED, type PrismaClient } from "@pulse/platform/subgraph";
import DataLoader from "dataloader";

/** What everyone sees of a person: their profile (null without one) and visible photos. */
export interface ProfileCard {
  profile: ProfileRow | null;
  /** In display order. */
  photos: PhotoRow[];
}

/**
 * How long a card's fields are declared the same for every viewer (`Cache-Control: public`):
 * the gateway shares one answer between the subscribers of an event for that long, so a change
 * reaches live events within these seconds. Private fields (location, preferences) say nothing,
 * which keeps any answer that includes them private.
 */
export const CARD_PUBLIC_SECONDS = 5;

const NO_CARD: ProfileCard = Object.freeze({ profile: null, photos: [] });

/** As for any replicated cache; the name is the cards'. */
export type ProfileCardsOptions = Omit<ReplicatedCacheOptions, "name">;

/**
 * People's cards, cached in the process across requests: a chat message, a match or a discovery
 * page each embed the same few people, and reading a card was two SQL statements per entity
 * fetch. Rows are cached, never signed photo links. Every change to a card calls `invalidate`
 * after its commit.
 */
export class ProfileCards {
  private constructor(
    private readonly prisma: PrismaClient,
    private readonly cache: ReplicatedCache<ProfileCard>,
  ) {}

  static async open(prisma: PrismaClient, options: ProfileCardsOptions): Promise<ProfileCards> {
    return new ProfileCards(
      prisma,
      await ReplicatedCache.open<ProfileCard>({ ...options, name: "profiles:card" }),
    );
  }

  /**
   * A request's loader of cards by person: cached ones first, the others in one batch (their
   * profiles and photos read side by side). Malformed ids get an empty card, and no cache entry.
   */
  loader(): DataLoader<string, ProfileCard> {
    return new DataLoader<string, ProfileCard>(async (userIds) => {
      const wellFormed = userIds.filter(isUuid);
      const cards = await this.cache.loadMany(wellFormed, (missing) => this.read(missing));
      const byUser = new Map(wellFormed.map((userId, index) => [userId, cards[index]!]));
      return userIds.map((userId) => byUser.get(userId) ?? NO_CARD);
    });
  }

  /** Drops the person's card in every replica: call it once their change committed. */
  invalidate(userId: string): Promise<void> {
    return this.cache.invalidate([userId]);
  }

  /**
   * The cards of `userIds` in one statement: a round trip and a query of Prisma's instead of two
   * side by side, on the path of every message whose sender's card is not cached. A person's
   * photos belong to their profile, so a person without one has an empty card.
   */
  private async read(userIds: string[]): Promise<ProfileCard[]> {
    const rows = await this.prisma.$queryRaw<CardRow[]>`${PREPARED}
      SELECT p.user_id AS "userId", p.display_name AS "displayName", p.username,
             p.username_key AS "usernameKey", p.bio, p.birthdate, p.gender::text AS gender,
             p.interested_in::text[] AS "interestedIn", p.latitude, p.longitude, p.city, p.country,
             p.min_age AS "minAge", p.max_age AS "maxAge", p.max_distance_km AS "maxDistanceKm",
             p.preferred_genders::text[] AS "preferredGenders", p.version,
             p.created_at AS "createdAt", p.updated_at AS "updatedAt",
             coalesce((
               SELECT json_agg(json_build_object(
                        'id', photo.id, 'userId', photo.user_id, 'status', photo.status,
                        'contentType', photo.content_type, 'byteSize', photo.byte_size,
                        'uploadExpiresAt', photo.upload_expires_at, 'position', photo.position,
                        'createdAt', photo.created_at, 'confirmedAt', photo.confirmed_at
                      ) ORDER BY photo.position)
               FROM profiles.photo AS photo
               WHERE photo.user_id = p.user_id AND photo.status = 'READY'
             ), '[]') AS photos
      FROM profiles.profile AS p
      WHERE p.user_id = ANY(${userIds}::uuid[])`;
    const byUser = new Map(
      rows.map(({ photos, ...profile }) => [
        profile.userId,
        { profile, photos: photos.map(photoFromJson) },
      ]),
    );
    return userIds.map((userId) => byUser.get(userId) ?? NO_CARD);
  }
}

/** A profile row with its visible photos as the statement returns them (JSON, dates as text). */
type CardRow = ProfileRow & { photos: PhotoJson[] };

type PhotoJson = Omit<PhotoRow, "uploadExpiresAt" | "createdAt" | "confirmedAt"> & {
  uploadExpiresAt: string;
  createdAt: string;
  confirmedAt: string | null;
};

function photoFromJson(photo: PhotoJson): PhotoRow {
  return {
    ...photo,
    uploadExpiresAt: new Date(photo.uploadExpiresAt),
    createdAt: new Date(photo.createdAt),
    confirmedAt: photo.confirmedAt === null ? null : new Date(photo.confirmedAt),
  };
}
