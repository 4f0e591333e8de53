import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import type { Logger, SessionRevocations } from "@pulse/platform";

export interface RevocationStatusOptions {
  /** Sessions whose answer is kept, at most. */
  maxEntries: number;
  /** How long an answer is kept at most, even while announcements are heard. */
  ttlMs: number;
  logger: Logger;
}

/**
 * Whether a session was signed out, remembered between requests instead of asking Redis on each:
 * an answer is kept for `ttlMs` at most and dropped the moment identity announces that session's
 * revocation. Answers are kept only while announcements are heard: until the subscription is in
 * effect, and from the moment the subscriber connection drops until it has subscribed again,
 * every check asks Redis and nothing is kept. A check in flight while an announcement arrives
 * keeps nothing either, so it cannot put back an answer the announcement just dropped.
 */
export class RevocationStatus {
  private readonly answers: LRUCache<string, boolean>;
  /** Incremented by every announcement and every loss of hearing: a check that saw it keeps nothing. */
  private generation = 0;
  private hearing = false;

  constructor(
    private readonly revocations: SessionRevocations,
    private readonly subscriber: Redis,
    private readonly options: RevocationStatusOptions,
  ) {
    this.answers = new LRUCache({ max: options.maxEntries, ttl: options.ttlMs });
  }

  /**
   * Listens for announcements; resolves once they are heard. `subscriber` must be a connection in
   * subscriber mode (it may be shared with other listeners of the announcements).
   */
  async start(): Promise<void> {
    this.subscriber.on("close", () => this.forgetAll());
    this.subscriber.on("ready", () => {
      this.forgetAll();
      // ioredis subscribes again by itself after reconnecting; ours, queued behind, answers once
      // that is in effect.
      this.hear().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, "not listening for signed-out sessions"),
      );
    });
    await this.revocations.listen(this.subscriber, (sessionIds) => this.drop(sessionIds));
    this.hearing = this.subscriber.status === "ready";
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const known = this.answers.get(sessionId);
    if (known !== undefined) return known;
    const generation = this.generation;
    const revoked = await this.revocations.isRevoked(sessionId);
    if (this.hearing && generation === this.generation) this.answers.set(sessionId, revoked);
    return revoked;
  }

  private async hear(): Promise<void> {
    await this.revocations.subscribe(this.subscriber);
    this.hearing = this.subscriber.status === "ready";
  }

  private drop(sessionIds: string[]): void {
    this.generation += 1;
    for (const id of sessionIds) this.answers.delete(id);
  }

  private forgetAll(): void {
    this.hearing = false;
    this.generation += 1;
    this.answers.clear();
  }
}
