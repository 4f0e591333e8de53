import type { Photo as PhotoRow, Profile as ProfileRow } from "@pulse/db";
import {
  isUuid,
  ReplicatedCache,
  type PrismaClient,
  type ReplicatedCacheOptions,
} from "@pulse/platform";
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

  private async read(userIds: string[]): Promise<ProfileCard[]> {
    const [profiles, photos] = await Promise.all([
      this.prisma.profile.findMany({ where: { userId: { in: userIds } } }),
      this.prisma.photo.findMany({
        where: { userId: { in: userIds }, status: "READY" },
        orderBy: { position: "asc" },
      }),
    ]);
    const cards = new Map(
      userIds.map((userId) => [userId, { profile: null, photos: [] } as ProfileCard]),
    );
    for (const profile of profiles) cards.get(profile.userId)!.profile = profile;
    for (const photo of photos) cards.get(photo.userId)!.photos.push(photo);
    return userIds.map((userId) => cards.get(userId)!);
  }
}
