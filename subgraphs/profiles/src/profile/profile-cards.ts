import type { Photo as PhotoRow, Profile as ProfileRow } from "@pulse/db";
import { isUuid, ReplicatedCache, type Logger, type Redis } from "@pulse/platform";
import DataLoader from "dataloader";

export interface ProfileCardsOptions {
  redisPrefix: string;
  publisher: Redis;
  /** A connection of its own, for the invalidation channels. */
  subscriber: Redis;
  maxEntries: number;
  ttlMs: number;
  logger: Logger;
}

/**
 * What everyone sees of a person, the profile row and the visible photos, cached in the process
 * across requests: a chat message, a match or a discovery page each embed the same few people's
 * cards, and a card read per entity fetch was two SQL statements. Rows are cached, never signed
 * photo links. Every change to either calls `invalidate` after its commit.
 */
export class ProfileCards {
  private constructor(
    readonly profiles: ReplicatedCache<ProfileRow | null>,
    readonly photos: ReplicatedCache<PhotoRow[]>,
  ) {}

  static async open({
    redisPrefix,
    publisher,
    subscriber,
    maxEntries,
    ttlMs,
    logger,
  }: ProfileCardsOptions) {
    const common = { redisPrefix, publisher, subscriber, maxEntries, ttlMs, logger };
    return new ProfileCards(
      await ReplicatedCache.open<ProfileRow | null>({ ...common, name: "profiles:profile" }),
      await ReplicatedCache.open<PhotoRow[]>({ ...common, name: "profiles:visible-photos" }),
    );
  }

  /** Drops the person's card in every replica: call it once their change committed. */
  async invalidate(userId: string): Promise<void> {
    await Promise.all([this.profiles.invalidate([userId]), this.photos.invalidate([userId])]);
  }
}

/**
 * A request's loader of one part of people's cards: cached values first, then `fetch` for the
 * rest in one batch (people it does not answer get `absent()`). Malformed ids get `absent()`
 * without a lookup, and take no cache entry.
 */
export function createCardLoader<Value>(
  cache: ReplicatedCache<Value>,
  absent: () => Value,
  fetch: (userIds: string[]) => Promise<Map<string, Value>>,
): DataLoader<string, Value> {
  return new DataLoader<string, Value>(async (userIds) => {
    const wellFormed = userIds.filter(isUuid);
    const loaded = await cache.loadMany(wellFormed, async (missing) => {
      const found = await fetch(missing);
      return missing.map((userId) => (found.has(userId) ? found.get(userId)! : absent()));
    });
    const byUser = new Map(wellFormed.map((userId, index) => [userId, loaded[index]!]));
    return userIds.map((userId) => (byUser.has(userId) ? byUser.get(userId)! : absent()));
  });
}
