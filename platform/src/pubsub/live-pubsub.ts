import { RedisPubSub } from "graphql-redis-subscriptions";
import type { Redis } from "ioredis";
import { createRedis } from "../data/redis.ts";
import type { Logger } from "../logging/logger.ts";
import { EventQueue } from "../subscriptions/event-queue.ts";

/**
 * Live notifications for subscriptions (new message, new match, rank change) over Redis pub/sub,
 * shared by every replica. Separate publisher and subscriber connections, and every channel is
 * under the environment's prefix. Not durable: durable facts travel as domain events.
 */
export class LivePubSub {
  private readonly pubsub: RedisPubSub;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    logger: Logger,
  ) {
    this.publisher = createRedis(redisUrl, "live-publisher", logger);
    this.subscriber = createRedis(redisUrl, "live-subscriber", logger);
    this.pubsub = new RedisPubSub({ publisher: this.publisher, subscriber: this.subscriber });
  }

  /** The prefixed channel of `topic`. */
  channel(topic: string): string {
    return `${this.prefix}live:${topic}`;
  }

  publish<Payload>(topic: string, payload: Payload): Promise<void> {
    return this.pubsub.publish(this.channel(topic), payload);
  }

  /**
   * The payloads published on any of `topics` from now on: resolves once Redis confirmed the
   * subscription, so whatever is published after it resolves is received (a replay read then
   * leaves no gap). Returning the iterator unsubscribes.
   */
  async subscribe<Payload>(topics: string | string[]): Promise<AsyncIterableIterator<Payload>> {
    const ids: number[] = [];
    let ended = false;
    const payloads = new EventQueue<Payload>(() => {
      ended = true;
      for (const id of ids) this.pubsub.unsubscribe(id);
    });
    const subscribed = (Array.isArray(topics) ? topics : [topics]).map(async (topic) => {
      const id = await this.pubsub.subscribe<Payload>(this.channel(topic), (payload) =>
        payloads.push(payload),
      );
      // Returned while Redis was still confirming: nobody will unsubscribe this one later.
      if (ended) this.pubsub.unsubscribe(id);
      else ids.push(id);
    });
    try {
      await Promise.all(subscribed);
    } catch (error) {
      await payloads.return();
      throw error;
    }
    return payloads;
  }

  async close(): Promise<void> {
    await this.pubsub.close();
  }
}
