import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { createLogger } from "../logging/logger.ts";
import { ReplicatedCache, type ReplicatedCacheOptions } from "./replicated-cache.ts";

const connections: Redis[] = [];
function connect(): Redis {
  const redis = new Redis(inject("redisUrl"));
  connections.push(redis);
  return redis;
}
afterAll(() => {
  for (const redis of connections) redis.disconnect();
});

/** A replica's cache of `name` under a prefix of this test's own. */
function replica(
  prefix: string,
  options: Partial<ReplicatedCacheOptions> = {},
): Promise<ReplicatedCache<string>> {
  return ReplicatedCache.open<string>({
    name: "people",
    redisPrefix: prefix,
    publisher: connect(),
    subscriber: connect(),
    maxEntries: 100,
    ttlMs: 60_000,
    logger: createLogger("test", "silent"),
    ...options,
  });
}

const newPrefix = () => `${inject("redisPrefix")}cache-${randomBytes(4).toString("hex")}:`;

/** A source whose values can change, counting the keys it is asked for. */
function source(initial: Record<string, string>) {
  const values = new Map(Object.entries(initial));
  const asked: string[] = [];
  return {
    values,
    asked,
    load: async (keys: string[]) => {
      asked.push(...keys);
      return keys.map((key) => values.get(key) ?? "none");
    },
  };
}

describe("ReplicatedCache", () => {
  it("answers from memory after the first read, and asks the source only for misses", async () => {
    const cache = await replica(newPrefix());
    const people = source({ a: "Ada", b: "Bo" });
    expect(await cache.loadMany(["a"], people.load)).toEqual(["Ada"]);
    expect(await cache.loadMany(["b", "a"], people.load)).toEqual(["Bo", "Ada"]);
    expect(people.asked).toEqual(["a", "b"]);
  });

  it("drops an invalidated key in this replica at once and in every other one", async () => {
    const prefix = newPrefix();
    const [here, there] = await Promise.all([replica(prefix), replica(prefix)]);
    const people = source({ a: "Ada" });
    await here.loadMany(["a"], people.load);
    await there.loadMany(["a"], people.load);
    people.values.set("a", "Ada Lovelace");

    await here.invalidate(["a"]);
    expect(await here.loadMany(["a"], people.load)).toEqual(["Ada Lovelace"]);
    // The other replica hears of it through Redis, a moment later.
    await vi.waitFor(async () =>
      expect(await there.loadMany(["a"], people.load)).toEqual(["Ada Lovelace"]),
    );
  });

  it("counts hits and misses per key in the given registry, for every cache there", async () => {
    const registry = new Registry();
    const prefix = newPrefix();
    const people = await replica(prefix, { registry });
    const places = await replica(prefix, { registry, name: "places" });
    await people.loadMany(["a", "b"], source({}).load);
    await people.loadMany(["a"], source({}).load);
    await places.loadMany(["x"], source({}).load);
    const counts = (await registry.getSingleMetric("cache_lookups_total")!.get()).values;
    const count = (cache: string, result: string) =>
      counts.find((v) => v.labels.cache === cache && v.labels.result === result)?.value ?? 0;
    expect([count("people", "hit"), count("people", "miss")]).toEqual([1, 2]);
    expect([count("places", "hit"), count("places", "miss")]).toEqual([0, 1]);
  });

  it("makes callers who want a key being loaded wait for that load", async () => {
    const cache = await replica(newPrefix());
    const people = source({ a: "Ada", b: "Bo" });
    const [first, second] = await Promise.all([
      cache.loadMany(["a"], people.load),
      cache.loadMany(["b", "a"], people.load),
    ]);
    expect([first, second]).toEqual([["Ada"], ["Bo", "Ada"]]);
    expect(people.asked).toEqual(["a", "b"]);
  });

  it("gives every caller waiting on a failed load its error, and tries again next time", async () => {
    const cache = await replica(newPrefix());
    const failing = async (): Promise<string[]> => {
      throw new Error("database down");
    };
    const both = [cache.loadMany(["a"], failing), cache.loadMany(["a"], failing)];
    for (const caller of both) await expect(caller).rejects.toThrow("database down");
    expect(await cache.loadMany(["a"], source({ a: "Ada" }).load)).toEqual(["Ada"]);
  });

  it("does not store a read that was in flight while an invalidation came", async () => {
    const cache = await replica(newPrefix());
    const people = source({ a: "Ada" });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const stale = cache.loadMany(["a"], async (keys) => {
      const values = await people.load(keys);
      await held;
      return values;
    });
    people.values.set("a", "Ada Lovelace");
    await cache.invalidate(["a"]);
    // A caller after the invalidation does not wait for the read that began before it.
    expect(await cache.loadMany(["a"], people.load)).toEqual(["Ada Lovelace"]);
    release();
    // The earlier caller still gets what it read...
    expect(await stale).toEqual(["Ada"]);
    // ...which was not stored.
    expect(await cache.loadMany(["a"], people.load)).toEqual(["Ada Lovelace"]);
  });

  it("reads again once an entry expired", async () => {
    const cache = await replica(newPrefix(), { ttlMs: 20 });
    const people = source({ a: "Ada" });
    await cache.loadMany(["a"], people.load);
    people.values.set("a", "Ada Lovelace");
    await vi.waitFor(async () =>
      expect(await cache.loadMany(["a"], people.load)).toEqual(["Ada Lovelace"]),
    );
  });

  it("empties when its subscriber reconnects, since invalidations may have been missed", async () => {
    const subscriber = connect();
    const cache = await replica(newPrefix(), { subscriber });
    const people = source({ a: "Ada" });
    await cache.loadMany(["a"], people.load);
    people.values.set("a", "Ada Lovelace");
    expect(await cache.loadMany(["a"], people.load)).toEqual(["Ada"]);

    subscriber.disconnect(true);
    await vi.waitFor(async () =>
      expect(await cache.loadMany(["a"], people.load)).toEqual(["Ada Lovelace"]),
    );
  });
});
