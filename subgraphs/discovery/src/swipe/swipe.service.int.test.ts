import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAILY_LIMITS } from "./daily-limits.service.ts";
import {
  addCouple,
  startDiscoveryHarness,
  type DiscoveryHarness,
} from "../testing/discovery-harness.ts";
import { matchCreatedTopic, type LiveMatch } from "../match/match-created.topic.ts";

let harness: DiscoveryHarness;
beforeAll(() => {
  harness = startDiscoveryHarness();
});
afterAll(() => harness?.close());

/** The error a promise rejects with, as a client sees its extensions. */
async function extensionsOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.unreachable("expected an error"),
    (error: unknown) => error as { extensions: Record<string, unknown> },
  );
  return error.extensions;
}

async function outboxOf(type: string, matchId: string) {
  return harness.prisma.discoveryOutboxEvent.findMany({
    where: { type, payload: { path: ["matchId"], equals: matchId } },
  });
}

describe("swipe", () => {
  it("makes one match when a like meets a like, seen from each side", async () => {
    const [alice, bob] = await addCouple(harness);
    const first = await harness.swipes.swipe(alice, { targetUserId: bob.id, action: "LIKE" });
    expect(first).toEqual({ isMatch: false, match: null });
    const second = await harness.swipes.swipe(bob, {
      targetUserId: alice.id,
      action: "SUPER_LIKE",
    });
    expect(second).toEqual({
      isMatch: true,
      match: { id: expect.any(String), matchedAt: expect.any(Date), user: { id: alice.id } },
    });
    const again = await harness.swipes.swipe(alice, { targetUserId: bob.id, action: "LIKE" });
    expect(again).toEqual({ isMatch: true, match: { ...second.match, user: { id: bob.id } } });
    const events = await outboxOf("match.created", second.match!.id);
    expect(events.map((event) => event.payload)).toEqual([
      {
        matchId: second.match!.id,
        userIds: [alice.id, bob.id].sort(),
        matchedAt: second.match!.matchedAt.toISOString(),
      },
    ]);
  });

  it("creates exactly one match when both like at the same instant", async () => {
    for (let round = 0; round < 8; round += 1) {
      const [alice, bob] = await addCouple(harness);
      const results = await Promise.all([
        harness.swipes.swipe(alice, { targetUserId: bob.id, action: "LIKE" }),
        harness.swipes.swipe(bob, { targetUserId: alice.id, action: "LIKE" }),
      ]);
      expect(results.some((result) => result.isMatch)).toBe(true);
      const [low, high] = [alice.id, bob.id].sort() as [string, string];
      expect(await harness.prisma.match.count({ where: { userLow: low, userHigh: high } })).toBe(1);
      expect(
        await harness.prisma.discoveryOutboxEvent.count({
          where: { type: "match.created", payload: { path: ["userIds"], equals: [low, high] } },
        }),
      ).toBe(1);
    }
  });

  it("tells both people of the match live, each seeing the other", async () => {
    const [alice, bob] = await addCouple(harness);
    // Live messages are not stored: both listen (Redis confirmed) before the likes.
    const [forAlice, forBob] = await Promise.all(
      [alice, bob].map(({ id }) => harness.live.subscribe<LiveMatch>(matchCreatedTopic(id))),
    );
    const nextForAlice = forAlice!.next();
    const nextForBob = forBob!.next();
    await harness.swipes.swipe(alice, { targetUserId: bob.id, action: "LIKE" });
    const { match } = await harness.swipes.swipe(bob, { targetUserId: alice.id, action: "LIKE" });
    expect((await nextForAlice).value).toEqual({
      id: match!.id,
      matchedAt: match!.matchedAt.toISOString(),
      user: { id: bob.id },
      // The first among Alice's matches, and among Bob's.
      position: "1",
    });
    expect((await nextForBob).value).toMatchObject({
      id: match!.id,
      user: { id: alice.id },
      position: "1",
    });
    await forAlice!.return?.();
    await forBob!.return?.();
  });

  it("is idempotent for the same action and refuses another action with CONFLICT", async () => {
    const [alice, bob] = await addCouple(harness);
    await harness.swipes.swipe(alice, { targetUserId: bob.id, action: "PASS" });
    expect(await harness.swipes.swipe(alice, { targetUserId: bob.id, action: "PASS" })).toEqual({
      isMatch: false,
      match: null,
    });
    expect(
      await extensionsOf(harness.swipes.swipe(alice, { targetUserId: bob.id, action: "LIKE" })),
    ).toEqual({ code: "CONFLICT", field: "input.action" });
    expect(await harness.prisma.swipe.count({ where: { swiperId: alice.id } })).toBe(1);
  });

  it("refuses swiping oneself, unknown people and blocked people", async () => {
    const [alice, bob] = await addCouple(harness);
    expect(
      await extensionsOf(harness.swipes.swipe(alice, { targetUserId: alice.id, action: "LIKE" })),
    ).toEqual({ code: "BAD_USER_INPUT", field: "input.targetUserId" });
    for (const targetUserId of [randomUUID(), "not-an-id"]) {
      expect(
        await extensionsOf(harness.swipes.swipe(alice, { targetUserId, action: "LIKE" })),
      ).toEqual({ code: "NOT_FOUND" });
    }
    await harness.deliver("user.blocked", {
      blockerId: bob.id,
      blockedId: alice.id,
      at: new Date().toISOString(),
    });
    expect(
      await extensionsOf(harness.swipes.swipe(alice, { targetUserId: bob.id, action: "LIKE" })),
    ).toEqual({ code: "NOT_FOUND" });
  });

  it("allows a free member one super like a day, a premium member five", async () => {
    const [alice] = await addCouple(harness);
    const targets = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => addCouple(harness)));
    const superLike = (i: number) =>
      harness.swipes.swipe(alice, { targetUserId: targets[i]![1].id, action: "SUPER_LIKE" });
    await superLike(0);
    const refused = await extensionsOf(superLike(1));
    expect(refused).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
    const midnight = new Date().setUTCHours(24, 0, 0, 0);
    expect(refused.retryAfterSeconds).toBeCloseTo((midnight - Date.now()) / 1000, -1);
    expect(await harness.prisma.swipe.count({ where: { swiperId: alice.id } })).toBe(1);
    // Repeating a stored swipe costs nothing.
    await superLike(0);

    // Standing in for billing, which will feed the tier through its events.
    await harness.prisma.candidate.update({
      where: { userId: alice.id },
      data: { tier: "PREMIUM" },
    });
    for (let i = 1; i < DAILY_LIMITS.PREMIUM.SUPER_LIKE; i += 1) await superLike(i);
    expect((await extensionsOf(superLike(6))).code).toBe("RATE_LIMITED");
  });

  it("allows a free member 100 likes a day", async () => {
    const [alice] = await addCouple(harness);
    const key = `${harness.redisPrefix}swipes:${new Date().toISOString().slice(0, 10)}:LIKE:${alice.id}`;
    await harness.redis.set(key, DAILY_LIMITS.FREE.LIKE - 1);
    const [, bob] = await addCouple(harness);
    const [, carol] = await addCouple(harness);
    await harness.swipes.swipe(alice, { targetUserId: bob.id, action: "LIKE" });
    expect(
      (await extensionsOf(harness.swipes.swipe(alice, { targetUserId: carol.id, action: "LIKE" })))
        .code,
    ).toBe("RATE_LIMITED");
    // Passing is never limited.
    await harness.swipes.swipe(alice, { targetUserId: carol.id, action: "PASS" });
  });
});

describe("likesReceived", () => {
  it("is premium only", async () => {
    const [alice] = await addCouple(harness);
    expect(await extensionsOf(harness.swipes.likesReceived(alice, 10))).toEqual({
      code: "PAYMENT_REQUIRED",
    });
  });

  it("lists unanswered likes, newest first, marking super likes", async () => {
    const [alice, bob] = await addCouple(harness);
    const [, carol] = await addCouple(harness);
    const [, dave] = await addCouple(harness);
    await harness.prisma.candidate.update({
      where: { userId: alice.id },
      data: { tier: "PREMIUM" },
    });
    await harness.swipes.swipe(bob, { targetUserId: alice.id, action: "LIKE" });
    await harness.swipes.swipe(carol, { targetUserId: alice.id, action: "SUPER_LIKE" });
    await harness.swipes.swipe(dave, { targetUserId: alice.id, action: "LIKE" });
    await harness.swipes.swipe(alice, { targetUserId: dave.id, action: "PASS" });
    expect(await harness.swipes.likesReceived(alice, 10)).toEqual([
      { user: { id: carol.id }, likedAt: expect.any(Date), isSuperLike: true },
      { user: { id: bob.id }, likedAt: expect.any(Date), isSuperLike: false },
    ]);
  });
});
