import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { createLogger, SessionRevocations } from "@pulse/platform";
import { RevocationStatus } from "./revocation-status.ts";

let redis: Redis;
let subscriber: Redis;
let revocations: SessionRevocations;
let status: RevocationStatus;
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
  status = new RevocationStatus(revocations, subscriber, {
    maxEntries: 100,
    ttlMs: 60_000,
    logger: createLogger("test", "silent"),
  });
});
afterEach(() => {
  redis.disconnect();
  subscriber.disconnect();
});

describe("RevocationStatus", () => {
  it("asks Redis on every check until it hears the announcements", async () => {
    const session = randomUUID();
    expect(await status.isRevoked(session)).toBe(false);
    expect(await status.isRevoked(session)).toBe(false);
    expect(asked).toEqual([session, session]);
  });

  it("remembers an answer while it hears, and drops it when the revocation is announced", async () => {
    await status.start();
    const session = randomUUID();
    expect(await status.isRevoked(session)).toBe(false);
    expect(await status.isRevoked(session)).toBe(false);
    expect(asked).toEqual([session]);

    await revocations.revoke([session], 60);
    // The announcement travels on another connection: within moments, not within the minute.
    await vi.waitFor(async () => expect(await status.isRevoked(session)).toBe(true), {
      timeout: 2_000,
    });
  });

  it("forgets every answer when its subscriber connection drops, so a missed revocation counts", async () => {
    await status.start();
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
    await status.start();
    const closed = once(subscriber, "close");
    subscriber.stream.destroy();
    await closed;
    const session = randomUUID();
    await status.isRevoked(session);
    await status.isRevoked(session);
    expect(asked).toEqual([session, session]);

    await vi.waitFor(
      async () => {
        asked.length = 0;
        await status.isRevoked(session);
        await status.isRevoked(session);
        expect(asked).toEqual([session]);
      },
      { timeout: 5_000 },
    );
  });
});
