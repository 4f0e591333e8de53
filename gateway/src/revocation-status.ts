import {
  ReplicatedCache,
  type Logger,
  type RedisConnection,
  type SessionRevocations,
} from "@pulse/platform/server";

export interface RevocationStatusOptions {
  /** Any connection (the cache never publishes on the announcements' channel). */
  redis: RedisConnection;
  /** A connection in subscriber mode; it may be shared with other listeners. */
  subscriber: RedisConnection;
  redisPrefix: string;
  /** Sessions whose answer is kept, at most. */
  maxEntries: number;
  /** How long an answer is kept at most, even while announcements are heard. */
  ttlMs: number;
  logger: Logger;
}

/**
 * Whether a session was signed out, remembered between requests instead of asking Redis on each:
 * a `ReplicatedCache` of the answers whose invalidations are identity's announcements of
 * revocations. So an answer is dropped the moment its session's revocation is announced, and
 * nothing is kept while the announcements cannot be heard (before subscribing, and from a
 * dropped subscriber connection until it has subscribed again): a missed announcement never
 * hides a revocation. Creating it does not wait for Redis.
 */
export class RevocationStatus {
  private readonly answers: ReplicatedCache<boolean>;

  constructor(
    private readonly revocations: SessionRevocations,
    options: RevocationStatusOptions,
  ) {
    this.answers = ReplicatedCache.start<boolean>({
      name: "gateway:session-revoked",
      channel: revocations.channel,
      publisher: options.redis,
      subscriber: options.subscriber,
      redisPrefix: options.redisPrefix,
      maxEntries: options.maxEntries,
      ttlMs: options.ttlMs,
      logger: options.logger,
    });
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const [revoked] = await this.answers.loadMany([sessionId], (ids) =>
      Promise.all(ids.map((id) => this.revocations.isRevoked(id))),
    );
    return revoked!;
  }
}
