import { createRedis, type RedisConnection } from "../data/redis.ts";
import {
  onChannelMessage,
  publishMessage,
  subscribeChannel,
  unsubscribeChannel,
} from "../data/redis-channels.ts";
import type { Logger } from "../logging/logger.ts";
import { EventQueue } from "../subscriptions/event-queue.ts";

type Listener = (payload: unknown) => void;

/** One channel's listeners in this process, and the Redis subscription they share. */
interface ChannelState {
  listeners: Set<Listener>;
  /** Settles once Redis confirmed the subscription. */
  subscribed: Promise<void>;
}

/**
 * Live notifications for subscriptions (new message, new match, rank change) over Redis pub/sub,
 * shared by every replica: sharded pub/sub on a cluster (redis-channels.ts). Separate publisher
 * and subscriber connections, every channel under the environment's prefix, one Redis
 * subscription per channel however many listen to it here. Payloads are JSON. Not durable:
 * durable facts travel as domain events.
 */
export class LivePubSub {
  private readonly publisher: RedisConnection;
  private readonly subscriber: RedisConnection;
  private readonly channels = new Map<string, ChannelState>();
  /** Unsubscriptions in flight, by channel: a new subscription of it waits for its own. */
  private readonly unsubscribing = new Map<string, Promise<void>>();

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.publisher = createRedis(redisUrl, "live-publisher", logger);
    this.subscriber = createRedis(redisUrl, "live-subscriber", logger, { subscriber: true });
    onChannelMessage(this.subscriber, (channel, message) => this.deliver(channel, message));
  }

  /** The prefixed channel of `topic`. */
  channel(topic: string): string {
    return `${this.prefix}live:${topic}`;
  }

  async publish<Payload>(topic: string, payload: Payload): Promise<void> {
    await publishMessage(this.publisher, this.channel(topic), JSON.stringify(payload));
  }

  /**
   * The payloads published on any of `topics` from now on: resolves once Redis confirmed the
   * subscription, so whatever is published after it resolves is received (a replay read then
   * leaves no gap). Returning the iterator unsubscribes.
   */
  async subscribe<Payload>(topics: string | string[]): Promise<AsyncIterableIterator<Payload>> {
    const channels = (Array.isArray(topics) ? topics : [topics]).map((topic) =>
      this.channel(topic),
    );
    const listener: Listener = (payload) => payloads.push(payload as Payload);
    const payloads = new EventQueue<Payload>(() => {
      for (const channel of channels) this.stopListening(channel, listener);
    });
    try {
      await Promise.all(channels.map((channel) => this.listen(channel, listener)));
    } catch (error) {
      await payloads.return();
      throw error;
    }
    return payloads;
  }

  /** Adds a listener to `channel`, subscribing in Redis for the first; resolves once in effect. */
  private listen(channel: string, listener: Listener): Promise<void> {
    const existing = this.channels.get(channel);
    if (existing) {
      existing.listeners.add(listener);
      return existing.subscribed;
    }
    const unsubscribed = this.unsubscribing.get(channel) ?? Promise.resolve();
    const state: ChannelState = {
      listeners: new Set([listener]),
      subscribed: unsubscribed.then(() => subscribeChannel(this.subscriber, channel)),
    };
    this.channels.set(channel, state);
    state.subscribed.catch(() => {
      if (this.channels.get(channel) === state) this.channels.delete(channel);
    });
    return state.subscribed;
  }

  private stopListening(channel: string, listener: Listener): void {
    const state = this.channels.get(channel);
    if (!state?.listeners.delete(listener) || state.listeners.size > 0) return;
    this.channels.delete(channel);
    // Once subscribed: unsubscribing first would leave the late subscription in place.
    const unsubscribed = state.subscribed
      .then(() => unsubscribeChannel(this.subscriber, channel))
      .catch((error: unknown) =>
        this.logger.debug({ err: error, channel }, "live pub/sub: unsubscribe failed"),
      )
      .finally(() => {
        if (this.unsubscribing.get(channel) === unsubscribed) this.unsubscribing.delete(channel);
      });
    this.unsubscribing.set(channel, unsubscribed);
  }

  private deliver(channel: string, message: string): void {
    const state = this.channels.get(channel);
    if (!state) return;
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch (error) {
      this.logger.warn({ err: error, channel }, "live pub/sub: not JSON, dropped");
      return;
    }
    for (const listener of state.listeners) listener(payload);
  }

  async close(): Promise<void> {
    await Promise.all([this.publisher.quit(), this.subscriber.quit()]).catch(() => {});
  }
}
