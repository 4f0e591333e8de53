import type { Viewer } from "@pulse/platform/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCouple,
  addPerson,
  matchEndedEvents,
  matchIds as ids,
  matchPair,
  startDiscoveryHarness,
  type DiscoveryHarness,
} from "../testing/discovery-harness.ts";

let harness: DiscoveryHarness;
beforeAll(() => {
  harness = startDiscoveryHarness();
});
afterAll(() => harness?.close());

const match = (a: Viewer, b: Viewer) => matchPair(harness, a, b);
const endedEventOf = (matchId: string) => matchEndedEvents(harness, matchId);

describe("the read model's events", () => {
  it("applies only newer profile snapshots", async () => {
    const person = await addPerson(harness, { version: 3, completeness: 0.3 });
    const snapshot = {
      ...(await harness.prisma.candidate.findUniqueOrThrow({
        where: { userId: person.id },
        select: { completeness: true, profileVersion: true },
      })),
    };
    expect(snapshot).toEqual({ completeness: 0.3, profileVersion: 3 });
    await addPerson(harness, { userId: person.id, version: 2, completeness: 0.9 });
    await addPerson(harness, { userId: person.id, version: 3, completeness: 0.9 });
    const unchanged = await harness.prisma.candidate.findUniqueOrThrow({
      where: { userId: person.id },
      select: { completeness: true },
    });
    expect(unchanged.completeness).toBe(0.3);
    await addPerson(harness, { userId: person.id, version: 4, completeness: 0.9, location: null });
    const [row] = await harness.prisma.$queryRaw<{ completeness: number; earth: string | null }[]>`
      SELECT completeness, earth::text FROM discovery.candidate WHERE user_id = ${person.id}::uuid`;
    expect(row).toEqual({ completeness: 0.9, earth: null });
  });

  it("orders blocks and unblocks by `at`, and a block ends the pair's match", async () => {
    const [alice, bob] = await addCouple(harness);
    const matchId = await match(alice, bob);
    const at = (offset: number) => new Date(Date.now() + offset).toISOString();
    const pair = { blockerId: alice.id, blockedId: bob.id };
    await harness.deliver("user.unblocked", { ...pair, at: at(2000) });
    await harness.deliver("user.blocked", { ...pair, at: at(1000) });
    expect(ids(await harness.matches.list(bob, 10, undefined))).toEqual([matchId]);
    await harness.deliver("user.blocked", { ...pair, at: at(3000) });
    expect(ids(await harness.matches.list(bob, 10, undefined))).toEqual([]);
    expect(await endedEventOf(matchId)).toMatchObject([{ reason: "BLOCKED" }]);
    const block = await harness.prisma.discoveryBlock.findUniqueOrThrow({
      where: { blockerId_blockedId: pair },
    });
    expect(block.active).toBe(true);
  });

  it("forgets a deleted person everywhere, even against a late snapshot", async () => {
    const [alice, bob] = await addCouple(harness);
    const matchId = await match(alice, bob);
    await harness.deliver("user.deleted", { userId: bob.id });
    await addPerson(harness, { userId: bob.id, version: 99 });
    expect(await harness.prisma.candidate.count({ where: { userId: bob.id } })).toBe(0);
    expect(
      await harness.prisma.swipe.count({
        where: { OR: [{ swiperId: bob.id }, { targetId: bob.id }] },
      }),
    ).toBe(0);
    expect(ids(await harness.matches.list(alice, 10, undefined))).toEqual([]);
    expect(await endedEventOf(matchId)).toMatchObject([{ reason: "USER_DELETED" }]);
    // Their place counter goes too; the survivor's stays, so their next match is placed after.
    const counters = await harness.prisma.matchCounter.findMany({
      where: { userId: { in: [alice.id, bob.id] } },
    });
    expect(counters).toEqual([{ userId: alice.id, lastPosition: 1n }]);
  });
});
