import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createLogger } from "../logging/logger.ts";
import { LivePubSub } from "./live-pubsub.ts";

const prefix = `${inject("redisPrefix")}live-${randomBytes(4).toString("hex")}:`;
let live: LivePubSub;
let redis: Redis;
beforeAll(() => {
  live = new LivePubSub(inject("redisUrl"), prefix, createLogger("test", "silent"));
  redis = new Redis(inject("redisUrl"));
});
afterAll(async () => {
  await live.close();
  redis.disconnect();
});

const listeners = async (topic: string) =>
  ((await redis.pubsub("NUMSUB", live.channel(topic))) as [string, number])[1];

describe("LivePubSub.subscribe", () => {
  it("resolves once Redis listens, so a publish right after it is received", async () => {
    const payloads = await live.subscribe<{ n: number }>(["a", "b"]);
    // No waiting of any kind between the subscription and the publishes.
    await live.publish("b", { n: 1 });
    await live.publish("a", { n: 2 });
    expect(await payloads.next()).toEqual({ value: { n: 1 }, done: false });
    expect(await payloads.next()).toEqual({ value: { n: 2 }, done: false });
    await payloads.return?.();
  });

  it("unsubscribes from Redis on return, also while a next() waits", async () => {
    const payloads = await live.subscribe("c");
    expect(await listeners("c")).toBe(1);
    const waiting = payloads.next();
    await payloads.return?.();
    expect(await waiting).toEqual({ value: undefined, done: true });
    // UNSUBSCRIBE goes out on the subscriber's own connection; wait for Redis to see it.
    await vi.waitFor(async () => expect(await listeners("c")).toBe(0));
  });
});
