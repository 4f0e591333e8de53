import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { createLogger, SessionRevocations } from "@pulse/platform/server";
import { RevocationStatus } from "./revocation-status.ts";

let redis: Redis;
let subscriber: Redis;
let revocations: SessionRevocations;
/** Sessions RevocationStatus asked Redis about, in order. */
let asked: string[];

beforeEach(() => {
  redis = new Redis(inject("redisUrl"));
  subscriber = new Redis(inject("redisUrl"), { maxRetriesPerRequest: null });
  revocations = new SessionRevocations(
    redis,
    `${inject("redisPrefix")}revocations-${randomBytes(4).toString("hex")}:`,
  );
  asked = [];
  const ask = revocations.isRevoked.bind(revocations);
  vi.spyOn(revocations, "isRevoked").mockImplementation((sessionId) => {
    asked.push(sessionId);
    return ask(sessionId);
  });
});
afterEach(() => {
  redis.disconnect();
  subscriber.disconnect();
});

function statusOn(connection: Redis): RevocationStatus {
  return new RevocationStatus(revocations, {
    redis,
    subscriber: connection,
    redisPrefix: inject("redisPrefix"),
    maxEntries: 100,
    ttlMs: 60_000,
    logger: createLogger("test", "silent"),
  });
}

/** Waits until `status` remembers answers again: a second check of a session asks nothing. */
async function untilRemembering(status: RevocationStatus): Promise<void> {
  await vi.waitFor(
    async () => {
      const probe = randomUUID();
      const before = asked.length;
      await status.isRevoked(probe);
      await status.isRevoked(probe);
      expect(asked.length - before).toBe(1);
    },
    { timeout: 15_000 },
  );
  asked.length = 0;
}

describe("RevocationStatus", () => {
  it("asks Redis on every check while it cannot hear the announcements", async () => {
    const deaf = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: null });
    deaf.on("error", () => {});
    try {
      const status = statusOn(deaf);
      const session = randomUUID();
      expect(await status.isRevoked(session)).toBe(false);
      expect(await status.isRevoked(session)).toBe(false);
      expect(asked).toEqual([session, session]);
    } finally {
      deaf.disconnect();
    }
  });

  it("remembers an answer while it hears, and drops it when the revocation is announced", async () => {
    const status = statusOn(subscriber);
    await untilRemembering(status);
    const session = randomUUID();
    expect(await status.isRevoked(session)).toBe(false);
    expect(await status.isRevoked(session)).toBe(false);
    expect(asked).toEqual([session]);

    await revocations.revoke([session], 60);
    // The announcement travels on another connection: within moments, not within the minute.
    await vi.waitFor(async () => expect(await status.isRevoked(session)).toBe(true), {
      timeout: 15_000,
    });
  });

  it("forgets every answer when its subscriber connection drops, so a missed revocation counts", async () => {
    const status = statusOn(subscriber);
    await untilRemembering(status);
    const session = randomUUID();
    expect(await status.isRevoked(session)).toBe(false);

    const closed = once(subscriber, "close");
    subscriber.stream.destroy();
    await closed;
    // Announced while the connection is down: this gateway does not hear it.
    await revocations.revoke([session], 60);
    expect(await status.isRevoked(session)).toBe(true);
  });

  it("keeps nothing while the connection is down, and remembers again once it is back", async () => {
    const status = statusOn(subscriber);
    await untilRemembering(status);
    const closed = once(subscriber, "close");
    subscriber.stream.destroy();
    await closed;
    const session = randomUUID();
    await status.isRevoked(session);
    await status.isRevoked(session);
    expect(asked).toEqual([session, session]);

    await untilRemembering(status);
  });
});
