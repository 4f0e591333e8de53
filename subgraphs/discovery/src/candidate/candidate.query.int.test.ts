import { createPrismaClient, type PrismaClient } from "@pulse/platform/subgraph";
import { placeOfItsOwn } from "@pulse/testkit/places";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  addPerson,
  bornYearsAgo,
  northOf,
  startDiscoveryHarness,
  type DiscoveryHarness,
} from "../testing/discovery-harness.ts";
import { DiscoverService } from "./discover.service.ts";

let harness: DiscoveryHarness;
beforeAll(() => {
  harness = startDiscoveryHarness();
});
afterAll(() => harness?.close());

const man = { gender: "MALE" as const, interestedIn: ["FEMALE" as const] };
const seekingWomen = { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["FEMALE" as const] };

/** A woman (30, seeking men 25..40 within 50 km) at a fresh place, and whom she discovers. */
async function scene() {
  const place = await placeOfItsOwn(harness.redis);
  const viewer = await addPerson(harness, { location: place });
  const shown = async () =>
    (await harness.discover.discover(viewer, 50)).map((candidate) => candidate.user.id);
  return { place, viewer, shown };
}

describe("discover's candidate query", () => {
  it("finds a man who fits her preferences and whose preferences she fits", async () => {
    const { place, viewer, shown } = await scene();
    const near = await addPerson(harness, {
      ...man,
      location: northOf(place, 10),
      preferences: seekingWomen,
    });
    const [found] = await harness.discover.discover(viewer, 20);
    expect(found).toEqual({
      user: { id: near.id },
      distanceKm: expect.closeTo(10, 1),
      score: expect.any(Number),
    });
    expect(await shown()).toEqual([near.id]);
  });

  it("applies age ranges both ways", async () => {
    const { place, shown } = await scene();
    const tooOld = await addPerson(harness, {
      ...man,
      birthdate: bornYearsAgo(45),
      location: place,
      preferences: seekingWomen,
    });
    const wantsYounger = await addPerson(harness, {
      ...man,
      location: place,
      preferences: { ...seekingWomen, maxAge: 29 },
    });
    const fits = await addPerson(harness, { ...man, location: place, preferences: seekingWomen });
    const result = await shown();
    expect(result).toContain(fits.id);
    expect(result).not.toContain(tooOld.id);
    expect(result).not.toContain(wantsYounger.id);
  });

  it("applies genders both ways", async () => {
    const { place, shown } = await scene();
    const woman = await addPerson(harness, { location: place, preferences: seekingWomen });
    const seeksMen = await addPerson(harness, {
      ...man,
      location: place,
      preferences: { ...seekingWomen, genders: ["MALE"] },
    });
    const fits = await addPerson(harness, { ...man, location: place, preferences: seekingWomen });
    expect(await shown()).toEqual([fits.id]);
    expect([woman.id, seeksMen.id]).not.toContain(fits.id);
  });

  it("applies distances both ways", async () => {
    const { place, shown } = await scene();
    const far = await addPerson(harness, {
      ...man,
      location: northOf(place, 60),
      preferences: { ...seekingWomen, maxDistanceKm: 100 },
    });
    const wantsCloser = await addPerson(harness, {
      ...man,
      location: northOf(place, 20),
      preferences: { ...seekingWomen, maxDistanceKm: 10 },
    });
    const fits = await addPerson(harness, {
      ...man,
      location: northOf(place, 20),
      preferences: seekingWomen,
    });
    expect(await shown()).toEqual([fits.id]);
    expect([far.id, wantsCloser.id]).not.toContain(fits.id);
  });

  it("never shows people already swiped, blocked either way, or deleted", async () => {
    const { place, viewer, shown } = await scene();
    const add = () => addPerson(harness, { ...man, location: place, preferences: seekingWomen });
    const [swiped, blockedByHer, blockedHer, deleted, unblocked, fits] = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(add),
    );
    expect(await shown()).toHaveLength(6);
    await harness.swipes.swipe(viewer, { targetUserId: swiped!.id, action: "PASS" });
    const at = new Date().toISOString();
    await harness.deliver("user.blocked", {
      blockerId: viewer.id,
      blockedId: blockedByHer!.id,
      at,
    });
    await harness.deliver("user.blocked", { blockerId: blockedHer!.id, blockedId: viewer.id, at });
    await harness.deliver("user.blocked", { blockerId: viewer.id, blockedId: unblocked!.id, at });
    await harness.deliver("user.unblocked", {
      blockerId: viewer.id,
      blockedId: unblocked!.id,
      at: new Date(Date.now() + 1000).toISOString(),
    });
    await harness.deliver("user.deleted", { userId: deleted!.id });
    expect((await shown()).sort()).toEqual([unblocked!.id, fits!.id].sort());
  });

  it("ranks closer, more active and more complete people first", async () => {
    const { place, viewer } = await scene();
    const best = await addPerson(harness, {
      ...man,
      location: northOf(place, 1),
      preferences: seekingWomen,
      completeness: 1,
    });
    const worst = await addPerson(harness, {
      ...man,
      location: northOf(place, 45),
      preferences: seekingWomen,
      completeness: 0.1,
    });
    await harness.prisma.candidate.update({
      where: { userId: worst.id },
      data: { lastActiveAt: new Date(Date.now() - 30 * 24 * 3600_000) },
    });
    const result = await harness.discover.discover(viewer, 20);
    expect(result.map((candidate) => candidate.user.id)).toEqual([best.id, worst.id]);
    expect(result[0]!.score).toBeGreaterThan(result[1]!.score);
  });

  it("answers nothing to a viewer without a location or without a profile", async () => {
    const { place } = await scene();
    const nowhere = await addPerson(harness, { location: null });
    await addPerson(harness, { ...man, location: place, preferences: seekingWomen });
    expect(await harness.discover.discover(nowhere, 20)).toEqual([]);
    expect(
      await harness.discover.discover(
        { ...nowhere, id: "00000000-0000-4000-8000-000000000000" },
        20,
      ),
    ).toEqual([]);
  });

  it("limits to 20 by default and 50 at most, and marks the viewer active", async () => {
    const { place, viewer } = await scene();
    await Promise.all(
      Array.from({ length: 55 }, () =>
        addPerson(harness, { ...man, location: place, preferences: seekingWomen }),
      ),
    );
    const stale = new Date(Date.now() - 3600_000);
    await harness.prisma.candidate.update({
      where: { userId: viewer.id },
      data: { lastActiveAt: stale },
    });
    expect(await harness.discover.discover(viewer, undefined)).toHaveLength(20);
    expect(await harness.discover.discover(viewer, 500)).toHaveLength(50);
    const row = await harness.prisma.candidate.findUniqueOrThrow({
      where: { userId: viewer.id },
      select: { lastActiveAt: true },
    });
    expect(row.lastActiveAt.getTime()).toBeGreaterThan(stale.getTime());
  });
});

describe("discover with a read replica", () => {
  // Stands in for a replica that has replayed everything: a read-only pool on the primary, which
  // fails any write, as a hot standby does.
  let replica: PrismaClient;
  beforeAll(() => {
    replica = createPrismaClient(inject("databaseUrl"), { maxConnections: 2, readOnly: true });
  });
  afterAll(() => replica?.$disconnect());

  it("searches the replica, writing nothing there, and marks activity on the primary", async () => {
    const onReplica = new DiscoverService(harness.prisma, replica);
    const { place, viewer } = await scene();
    const [swiped, fits] = await Promise.all(
      [1, 2].map(() => addPerson(harness, { ...man, location: place, preferences: seekingWomen })),
    );
    await harness.swipes.swipe(viewer, { targetUserId: swiped!.id, action: "PASS" });
    const stale = new Date(Date.now() - 3600_000);
    await harness.prisma.candidate.update({
      where: { userId: viewer.id },
      data: { lastActiveAt: stale },
    });
    expect(await onReplica.discover(viewer, 20)).toEqual([
      { user: { id: fits!.id }, distanceKm: expect.closeTo(0, 1), score: expect.any(Number) },
    ]);
    const row = await harness.prisma.candidate.findUniqueOrThrow({
      where: { userId: viewer.id },
      select: { lastActiveAt: true },
    });
    expect(row.lastActiveAt.getTime()).toBeGreaterThan(stale.getTime());
  });
});
