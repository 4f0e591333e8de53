import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger } from "../logging/logger.ts";
import { LivePubSub } from "../pubsub/live-pubsub.ts";
import {
  createRedis,
  deleteKeysWithPrefix,
  isCluster,
  sendEach,
  serversOf,
  type Cluster,
  type Redis,
} from "./redis.ts";
import { countSubscribers } from "./redis-channels.ts";

// What only a Redis Cluster has: keys and sharded channels spread over masters by hash slot.
// Against the run's cluster (global setup: REDIS_URL's, or the local one on 7100-7102).

const clusterUrl = inject("redisClusterUrl");
const logger = createLogger("test", "silent");
const prefix = `${inject("redisPrefix")}cluster-${randomBytes(4).toString("hex")}:`;
let cluster: Cluster;
const lives: LivePubSub[] = [];

beforeAll(async () => {
  if (!clusterUrl) return;
  const connection = createRedis(clusterUrl, "cluster-test", logger);
  if (!isCluster(connection)) throw new Error(`not a cluster: ${clusterUrl}`);
  cluster = connection;
  await cluster.ping();
});
afterAll(async () => {
  await Promise.all(lives.map((live) => live.close()));
  if (cluster) await deleteKeysWithPrefix(cluster, prefix);
  cluster?.disconnect();
});

const slotOf = async (key: string) => Number(await cluster.cluster("KEYSLOT", key));

/** The master serving `key`'s slot, as `host:port`. */
async function masterOf(key: string): Promise<string> {
  const slot = await slotOf(key);
  const ranges = await cluster.cluster("SLOTS");
  const range = ranges.find(([first, last]) => slot >= first && slot <= last)!;
  const [host, port] = range[2]!;
  return `${host}:${port}`;
}

/** Names under `base`, one for each master, found by trying suffixes. */
async function oneOnEachMaster(base: string): Promise<string[]> {
  const byMaster = new Map<string, string>();
  const masters = (await serversOf(cluster)).length;
  for (let i = 0; byMaster.size < masters; i += 1) {
    const name = `${base}${i}`;
    const master = await masterOf(name);
    if (!byMaster.has(master)) byMaster.set(master, name);
  }
  return [...byMaster.values()];
}

describe.skipIf(!clusterUrl)("on a Redis Cluster", () => {
  it("delivers live notifications on sharded channels of every master, publisher to subscriber", async () => {
    const subscriberSide = new LivePubSub(clusterUrl, prefix, logger);
    const publisherSide = new LivePubSub(clusterUrl, prefix, logger);
    lives.push(subscriberSide, publisherSide);
    const topics = await oneOnEachMaster(`${prefix}live:topic-`).then((channels) =>
      channels.map((channel) => channel.slice(`${prefix}live:`.length)),
    );
    expect(
      new Set(await Promise.all(topics.map((t) => masterOf(subscriberSide.channel(t))))),
    ).toHaveProperty("size", 3);
    const payloads = await subscriberSide.subscribe<{ topic: string }>(topics);
    // Sharded subscriptions: each channel's own master counts its subscriber.
    expect(
      await countSubscribers(
        cluster,
        topics.map((t) => subscriberSide.channel(t)),
      ),
    ).toEqual([1, 1, 1]);
    for (const topic of topics) await publisherSide.publish(topic, { topic });
    const received: unknown[] = [];
    while (received.length < topics.length) received.push((await payloads.next()).value);
    expect(received).toEqual(topics.map((topic) => ({ topic })));
    await payloads.return?.();
  });

  it("deletes the keys under a prefix on every master", async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `${prefix}delete:${i}`);
    await sendEach(
      cluster,
      keys.map((key) => ["set", key, "1"]),
    );
    const masters = new Set(await Promise.all(keys.map(masterOf)));
    expect(masters.size).toBe(3);
    const outside = `${inject("redisPrefix")}kept-${randomBytes(4).toString("hex")}`;
    await cluster.set(outside, "1");
    await deleteKeysWithPrefix(cluster, `${prefix}delete:`);
    const left = await Promise.all(
      (await serversOf(cluster)).map((node: Redis) => node.keys(`${prefix}delete:*`)),
    );
    expect(left.flat()).toEqual([]);
    expect(await cluster.get(outside)).toBe("1");
    await cluster.del(outside);
  });

  it("sends commands on keys of different slots, which one pipeline refuses", async () => {
    // On two masters: a pipeline of keys on one master passes, so that is not the case tried.
    const [a, b] = (await oneOnEachMaster(`${prefix}slot-`)) as [string, string];
    await expect(cluster.pipeline().set(a, "1").set(b, "2").exec()).rejects.toThrow(/slot/);
    expect(
      await sendEach(cluster, [
        ["set", a, "1"],
        ["set", b, "2"],
      ]),
    ).toEqual([
      [null, "OK"],
      [null, "OK"],
    ]);
    expect(await Promise.all([cluster.get(a), cluster.get(b)])).toEqual(["1", "2"]);
  });

  it("runs a script only on keys it declares in one slot: a hash tag keeps them together", async () => {
    const script = "redis.call('SET', KEYS[1], '1'); return redis.call('INCR', ARGV[1])";
    const tagged = (name: string) => `${prefix}{board}:${name}`;
    expect(await cluster.eval(script, 1, tagged("a"), tagged("b"))).toBe(1);
    // An undeclared key on another master: the node refuses it.
    const [here, elsewhere] = await oneOnEachMaster(`${prefix}script-`);
    await expect(cluster.eval(script, 1, here!, elsewhere!)).rejects.toThrow(/non local key/);
  });
});
