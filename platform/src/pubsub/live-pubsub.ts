import { RedisPubSub } from "graphql-redis-subscriptions";
import type { Redis } from "ioredis";
import { createRedis } from "../data/redis.ts";
import type { Logger } from "../logging/logger.ts";

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

  /** An async iterator of the payloads published on any of `topics`. */
  asyncIterator<Payload>(topics: string | string[]): AsyncIterableIterator<Payload> {
    const channels = (Array.isArray(topics) ? topics : [topics]).map((topic) =>
      this.channel(topic),
    );
    return this.pubsub.asyncIterableIterator<Payload>(channels);
  }

  async close(): Promise<void> {
    await this.pubsub.close();
  }
}
