import { randomBytes, randomUUID } from "node:crypto";
import { createLogger, createRedis, type RedisConnection } from "@pulse/platform/server";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { SocketQuota } from "./socket-quota.ts";

let redisPrefix: string;
const opened: { quota: SocketQuota; redis: RedisConnection }[] = [];

beforeEach(() => {
  redisPrefix = `${inject("redisPrefix")}quota-${randomBytes(4).toString("hex")}:`;
});
afterEach(async () => {
  for (const { quota, redis } of opened.splice(0)) {
    await quota.close();
    redis.disconnect();
  }
});

/** Where the quota is tried: one Redis, and a cluster (the replicas' and people's keys apart). */
const servers = [
  { on: "one Redis", redisUrl: inject("redisUrl") },
  { on: "a Redis Cluster", redisUrl: inject("redisClusterUrl") },
];
let redisUrl: string;

/** One gateway replica's quota, on a Redis connection of its own; `logs` has its warnings. */
function replica(limit: number, heartbeatMs?: number, url: string = redisUrl) {
  const logs: string[] = [];
  // The unreachable one's errors are expected: a silent logger.
  const redis = createRedis(url, "quota-test", createLogger("test", "silent"), {
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  });
  const quota = new SocketQuota({
    redis,
    redisPrefix,
    limit,
    logger: createLogger("test", "warn", { write: (line: string) => void logs.push(line) }),
    heartbeatMs,
  });
  opened.push({ quota, redis });
  return { quota, redis, logs };
}

/**
 * The replicas' heartbeat here: a living replica refreshes its key every third of it, so a busy
 * machine would have to stall its timers for most of a second to lose a place.
 */
const HEARTBEAT_MS = 1_000;
/** Longest a test waits for what a heartbeat brings about, on a busy machine. */
const HEARTBEAT_WAIT = { timeout: 10_000, interval: 50 };

describe.each(servers)("SocketQuota on $on", (server) => {
  beforeEach(({ skip }) => {
    if (!server.redisUrl) skip("no redis-server on the PATH to start a cluster from");
    redisUrl = server.redisUrl;
  });

  it("counts a person's sockets across replicas, and a place given back is free again", async () => {
    const [a, b] = [replica(2), replica(2)];
    const person = randomUUID();
    const first = await a.quota.claim(person);
    expect(first).toEqual(expect.any(String));
    expect(await b.quota.claim(person)).toEqual(expect.any(String));
    expect(await a.quota.claim(person)).toBeNull();
    expect(await b.quota.claim(person)).toBeNull();
    // Someone else is not affected.
    expect(await b.quota.claim(randomUUID())).toEqual(expect.any(String));
    a.quota.release(first!);
    await expect.poll(() => b.quota.claim(person)).toEqual(expect.any(String));
  });

  it("keeps a living replica's places past a heartbeat, and drops a dead one's", async () => {
    const person = randomUUID();
    const living = replica(2, HEARTBEAT_MS);
    const dying = replica(2, HEARTBEAT_MS);
    expect(await living.quota.claim(person)).toEqual(expect.any(String));
    expect(await dying.quota.claim(person)).toEqual(expect.any(String));
    // Once the dying replica's heartbeat lapses its place is free; the living one's stays taken.
    dying.redis.disconnect();
    const other = replica(2, HEARTBEAT_MS);
    await expect.poll(() => other.quota.claim(person), HEARTBEAT_WAIT).toEqual(expect.any(String));
    expect(await other.quota.claim(person)).toBeNull();
  });

  it("gives every place of a replica back at once when it closes", async () => {
    const [closing, other] = [replica(2), replica(2)];
    const person = randomUUID();
    for (let i = 0; i < 2; i += 1) await closing.quota.claim(person);
    expect(await other.quota.claim(person)).toBeNull();
    await closing.quota.close();
    expect(await other.quota.claim(person)).toEqual(expect.any(String));
  });

  it("retries giving a place back until Redis takes it", async () => {
    const [a, b] = [replica(1, HEARTBEAT_MS), replica(1, HEARTBEAT_MS)];
    const person = randomUUID();
    const place = await a.quota.claim(person);
    a.redis.disconnect();
    a.quota.release(place!);
    await expect
      .poll(() => a.logs.some((line) => line.includes("places not given back yet")), HEARTBEAT_WAIT)
      .toBe(true);
    await a.redis.connect();
    // The removal failed; the next heartbeats send it again.
    await expect.poll(() => b.quota.claim(person), HEARTBEAT_WAIT).toEqual(expect.any(String));
  });

  it("lets a socket in when Redis cannot answer", async () => {
    const { quota } = replica(1, undefined, "redis://127.0.0.1:1");
    const person = randomUUID();
    expect(await quota.claim(person)).toEqual(expect.any(String));
    expect(await quota.claim(person)).toEqual(expect.any(String));
  });
});
