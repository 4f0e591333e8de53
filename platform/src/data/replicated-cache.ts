import { LRUCache } from "lru-cache";
import type { RedisConnection } from "./redis.ts";
import {
  isHearing,
  onChannelMessage,
  onSubscriptionsLost,
  publishMessage,
  subscribeChannel,
} from "./redis-channels.ts";
import { Counter, type Registry } from "prom-client";
import type { Logger } from "../logging/logger.ts";

export interface ReplicatedCacheOptions {
  /** Names the invalidation channel (unless `channel` is given) and the lookup metric's label. */
  name: string;
  /**
   * The invalidation channel, when another service announces the changes (a JSON array of keys
   * per message); by default the cache's own, which `invalidate` publishes to.
   */
  channel?: string;
  /** Prefix of the environment's Redis channels. */
  redisPrefix: string;
  /** Publishes invalidations: any connection. */
  publisher: RedisConnection;
  /** Receives invalidations: a connection of its own, created with `subscriber: true`. */
  subscriber: RedisConnection;
  /** Most entries kept, least recently used out first. */
  maxEntries: number;
  /** How long an entry may serve: the bound on staleness should an invalidation be lost. */
  ttlMs: number;
  logger: Logger;
  /** Where `cache_lookups_total{cache, result}` (hit or miss, per key) is counted. */
  registry?: Registry;
}

const LOOKUPS_METRIC = "cache_lookups_total";

/** The registry's lookup counter, shared by every cache counted there. */
function lookupCounter(registry: Registry): Counter<"cache" | "result"> {
  const existing = registry.getSingleMetric(LOOKUPS_METRIC);
  if (existing) return existing as Counter<"cache" | "result">;
  return new Counter({
    name: LOOKUPS_METRIC,
    help: "Keys looked up in a process-local cache, by cache and result (hit or miss)",
    labelNames: ["cache", "result"],
    registers: [registry],
  });
}

/**
 * A process-local read-through cache kept coherent across replicas: whoever changes what an
 * entry was read from calls `invalidate` after the commit, which drops the key here at once and
 * in every other replica through Redis pub/sub. A read that was in flight while any invalidation
 * arrived is answered but not stored, so it cannot put back what was just dropped. Entries expire
 * after `ttlMs` anyway. Nothing is stored while announcements cannot be heard: before the
 * subscription is in effect, and from the moment the subscriber connection drops (the cache
 * empties then) until it has subscribed again; meanwhile every read goes to the source.
 */
export class ReplicatedCache<Value> {
  private readonly entries: LRUCache<string, { value: Value }>;
  /** Incremented by every invalidation: a load that saw it change stores nothing. */
  private generation = 0;
  /** Loads in flight, by key, for callers who want the same key meanwhile. */
  private readonly loading = new Map<string, Promise<Value>>();
  private readonly channel: string;
  private readonly lookups?: Counter<"cache" | "result">;
  /** Whether announcements are heard, so that entries may be stored. */
  private hearing = false;
  /** Settles once announcements are first heard. */
  private readonly heard: Promise<void>;

  private constructor(private readonly options: ReplicatedCacheOptions) {
    this.entries = new LRUCache({ max: options.maxEntries, ttl: options.ttlMs });
    this.channel = options.channel ?? `${options.redisPrefix}cache:${options.name}:invalidated`;
    if (options.registry) this.lookups = lookupCounter(options.registry);
    const { subscriber } = options;
    onChannelMessage(subscriber, (channel, message) => {
      if (channel === this.channel) this.drop(JSON.parse(message) as string[]);
    });
    // ioredis subscribes again by itself after reconnecting; ours, queued behind, is answered
    // once that is in effect.
    onSubscriptionsLost(subscriber, {
      lost: () => this.clear(),
      back: () => {
        this.clear();
        this.hear().catch((error: unknown) => this.warnDeaf(error));
      },
    });
    this.heard = this.hear();
  }

  /** Creates the cache; resolves once it hears invalidations. */
  static async open<Value>(options: ReplicatedCacheOptions): Promise<ReplicatedCache<Value>> {
    const cache = new ReplicatedCache<Value>(options);
    await cache.heard;
    return cache;
  }

  /**
   * Creates the cache without waiting for Redis: until it hears invalidations it stores nothing,
   * and each read goes to the source.
   */
  static start<Value>(options: ReplicatedCacheOptions): ReplicatedCache<Value> {
    const cache = new ReplicatedCache<Value>(options);
    cache.heard.catch((error: unknown) => cache.warnDeaf(error));
    return cache;
  }

  /**
   * The value of each key, in order: cached ones as they are, the others from `load` (which
   * answers the keys it is given, in order), stored unless an invalidation came meanwhile. A key
   * already being loaded for another caller waits for that load instead of starting its own, so
   * the subscribers of one event who all show its sender cost one read.
   */
  async loadMany(
    keys: readonly string[],
    load: (missing: string[]) => Promise<Value[]>,
  ): Promise<Value[]> {
    const values = new Map<string, Value | Promise<Value>>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const entry = this.entries.get(key);
      const inFlight = this.loading.get(key);
      if (entry) values.set(key, entry.value);
      else if (inFlight) values.set(key, inFlight);
      else missing.push(key);
    }
    // A key another caller is loading counts as a hit: it costs no read.
    this.lookups?.inc({ cache: this.options.name, result: "hit" }, values.size);
    this.lookups?.inc({ cache: this.options.name, result: "miss" }, missing.length);
    if (missing.length > 0) this.startLoad(missing, load, values);
    return Promise.all(keys.map((key) => values.get(key)!));
  }

  private startLoad(
    missing: string[],
    load: (missing: string[]) => Promise<Value[]>,
    values: Map<string, Value | Promise<Value>>,
  ): void {
    const generation = this.generation;
    const loaded = load(missing);
    const each = missing.map((key, index) => {
      const value = loaded.then((all) => all[index]!);
      this.loading.set(key, value);
      values.set(key, value);
      return value;
    });
    const forget = () =>
      missing.forEach((key, index) => {
        if (this.loading.get(key) === each[index]) this.loading.delete(key);
      });
    loaded.then(
      (all) => {
        forget();
        if (!this.hearing || generation !== this.generation) return;
        missing.forEach((key, index) => this.entries.set(key, { value: all[index]! }));
      },
      // The callers waiting on it get the error.
      forget,
    );
  }

  /**
   * Drops `keys` here and announces it to every replica. Call it after the change committed.
   * A failed announcement is logged, not thrown: the change stands, and the other replicas'
   * entries expire within `ttlMs`.
   */
  async invalidate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    this.drop(keys);
    try {
      await publishMessage(this.options.publisher, this.channel, JSON.stringify(keys));
    } catch (error) {
      this.options.logger.warn(
        { err: error, cache: this.options.name },
        "could not announce a cache invalidation; other replicas serve the old value until it expires",
      );
    }
  }

  /** Forgets `keys`, and loads of them in flight, which may have read the old value. */
  private drop(keys: readonly string[]): void {
    this.generation += 1;
    for (const key of keys) {
      this.entries.delete(key);
      this.loading.delete(key);
    }
  }

  private clear(): void {
    this.hearing = false;
    this.generation += 1;
    this.entries.clear();
    this.loading.clear();
  }

  private async hear(): Promise<void> {
    await subscribeChannel(this.options.subscriber, this.channel);
    this.hearing = isHearing(this.options.subscriber);
  }

  private warnDeaf(error: unknown): void {
    this.options.logger.warn(
      { err: error, cache: this.options.name },
      "not hearing cache invalidations; reading through until it does",
    );
  }
}
