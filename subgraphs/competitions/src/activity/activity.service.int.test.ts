import { randomUUID } from "node:crypto";
import type { Viewer } from "@pulse/platform/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  newCompetition,
  newViewer,
  record,
  startCompetitionsHarness,
  type CompetitionsHarness,
} from "../testing/competitions-harness.ts";

let harness: CompetitionsHarness;
beforeAll(() => {
  harness = startCompetitionsHarness();
});
afterAll(() => harness?.close());
afterEach(() => harness.clock.reset());

const HOUR = 60 * 60 * 1000;

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const { code, field } = (error as { extensions: Record<string, unknown> }).extensions;
    return { code, field };
  }
  throw new Error("expected a failure");
}

const sync = (viewer: Viewer, records: unknown[], source = "GOOGLE_FIT") =>
  harness.activity.sync(viewer, { source, records });

async function scoreOf(competitionId: string, userId: string) {
  const row = await harness.prisma.competitionParticipant.findUniqueOrThrow({
    where: { competitionId_userId: { competitionId, userId } },
  });
  return Number(row.scoreMilli) / 1000;
}

describe("syncActivity", () => {
  it("counts a record toward each joined competition of its metric whose window contains it", async () => {
    const viewer = newViewer();
    const steps = await newCompetition(harness);
    const otherSteps = await newCompetition(harness);
    const distance = await newCompetition(harness, { metric: "DISTANCE_METERS" });
    const notJoined = await newCompetition(harness);
    const later = await newCompetition(harness, {
      startsAt: new Date(Date.now() + HOUR),
      endsAt: new Date(Date.now() + 2 * HOUR),
    });
    for (const c of [steps, otherSteps, distance, later]) {
      await harness.competitions.join(viewer, c.id);
    }
    const result = await sync(viewer, [
      record(3000),
      record(2000, { metric: "DISTANCE_METERS" }),
      // Started before the window: counts toward none.
      record(100, { endedAt: new Date(steps.startsAt.getTime() + 10 * 60_000) }),
    ]);
    expect(result.accepted).toBe(3);
    expect(result.duplicates).toBe(0);
    expect(new Set(result.standings.map((s) => s.competitionId))).toEqual(
      new Set([steps.id, otherSteps.id, distance.id]),
    );
    expect(result.standings.every((s) => s.rank === 1)).toBe(true);
    expect(await scoreOf(steps.id, viewer.id)).toBe(3000);
    expect(await scoreOf(otherSteps.id, viewer.id)).toBe(3000);
    expect(await scoreOf(distance.id, viewer.id)).toBe(2000);
    expect(await scoreOf(later.id, viewer.id)).toBe(0);
    expect(
      await harness.prisma.competitionParticipant.count({ where: { competitionId: notJoined.id } }),
    ).toBe(0);
    // Joining later counts the records already synced inside the window.
    await harness.competitions.join(viewer, notJoined.id);
    expect(await scoreOf(notJoined.id, viewer.id)).toBe(3000);
  });

  it("is idempotent per (source, externalId); a corrected value moves the score by the difference", async () => {
    const viewer = newViewer();
    const competition = await newCompetition(harness);
    await harness.competitions.join(viewer, competition.id);
    const first = record(1000, { externalId: "walk-1" });
    await sync(viewer, [first, record(500, { externalId: "walk-2" })]);
    expect(await scoreOf(competition.id, viewer.id)).toBe(1500);
    const again = await sync(viewer, [first]);
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(again.standings).toEqual([
      { competitionId: competition.id, rank: 1, scoreMilli: 1_500_000n },
    ]);
    expect(await scoreOf(competition.id, viewer.id)).toBe(1500);
    // The health app corrected walk-1 downwards.
    const corrected = await sync(viewer, [{ ...first, value: 700 }]);
    expect(corrected).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await scoreOf(competition.id, viewer.id)).toBe(1200);
    // The same externalId from another source is another record.
    await sync(viewer, [first], "APPLE_HEALTH");
    expect(await scoreOf(competition.id, viewer.id)).toBe(2200);
    // Moved out of the window: it stops counting.
    await sync(viewer, [
      {
        ...first,
        value: 700,
        endedAt: new Date(competition.startsAt.getTime() - 1000),
        startedAt: new Date(competition.startsAt.getTime() - HOUR),
      },
    ]);
    expect(await scoreOf(competition.id, viewer.id)).toBe(1500);
  });

  it("keeps fractional values exact", async () => {
    const viewer = newViewer();
    const competition = await newCompetition(harness, { metric: "DISTANCE_METERS" });
    await harness.competitions.join(viewer, competition.id);
    await sync(viewer, [record(0.1, { metric: "DISTANCE_METERS", externalId: "a" })]);
    await sync(viewer, [record(0.2, { metric: "DISTANCE_METERS", externalId: "b" })]);
    await sync(viewer, [record(0.3, { metric: "DISTANCE_METERS", externalId: "a" })]);
    expect(await scoreOf(competition.id, viewer.id)).toBe(0.5);
  });

  it("refuses an implausible or malformed record, naming it, and stores none of the sync", async () => {
    const viewer = newViewer();
    const competition = await newCompetition(harness);
    await harness.competitions.join(viewer, competition.id);
    const ok = () => record(1000);
    const now = Date.now();
    const cases: [Record<string, unknown>, string][] = [
      // An hour: at most 250 steps a minute.
      [record(15_001), "value"],
      // 20 m/s.
      [record(72_001, { metric: "DISTANCE_METERS" }), "value"],
      [record(61, { metric: "ACTIVE_MINUTES" }), "value"],
      [record(1501, { metric: "CALORIES" }), "value"],
      [record(10.5), "value"],
      [record(-1), "value"],
      [{ ...ok(), endedAt: new Date(now + 10 * 60_000), startedAt: new Date(now) }, "endedAt"],
      [{ ...ok(), startedAt: new Date(now - 1000), endedAt: new Date(now - 2000) }, "endedAt"],
      [{ ...ok(), startedAt: new Date(now - 25 * HOUR), endedAt: new Date(now - 1000) }, "endedAt"],
      [{ ...ok(), externalId: "" }, "externalId"],
    ];
    for (const [bad, field] of cases) {
      expect(await failure(sync(viewer, [ok(), ok(), ok(), bad]))).toEqual({
        code: "BAD_USER_INPUT",
        field: `input.records.3.${field}`,
      });
    }
    const twice = ok();
    expect(await failure(sync(viewer, [twice, twice]))).toEqual({
      code: "BAD_USER_INPUT",
      field: "input.records.1.externalId",
    });
    expect(
      await failure(
        sync(
          viewer,
          Array.from({ length: 501 }, () => record(1)),
        ),
      ),
    ).toEqual({
      code: "BAD_USER_INPUT",
      field: "input.records",
    });
    expect(await harness.prisma.activityRecord.count({ where: { userId: viewer.id } })).toBe(0);
    // 500 is fine.
    const many = await sync(
      viewer,
      Array.from({ length: 500 }, () => record(1)),
    );
    expect(many.accepted).toBe(500);
    expect(await scoreOf(competition.id, viewer.id)).toBe(500);
  });

  it("is one transaction: a sync that fails midway changes nothing", async () => {
    const viewer = newViewer();
    const competition = await newCompetition(harness);
    await harness.competitions.join(viewer, competition.id);
    // A score at the column's limit: adding to it fails inside the transaction, after the
    // records were written.
    await harness.prisma.competitionParticipant.update({
      where: { competitionId_userId: { competitionId: competition.id, userId: viewer.id } },
      data: { scoreMilli: 9_223_372_036_854_775_000n },
    });
    await expect(sync(viewer, [record(100), record(200)])).rejects.toBeDefined();
    expect(await harness.prisma.activityRecord.count({ where: { userId: viewer.id } })).toBe(0);
    const row = await harness.prisma.competitionParticipant.findUniqueOrThrow({
      where: { competitionId_userId: { competitionId: competition.id, userId: viewer.id } },
    });
    expect(row.scoreMilli).toBe(9_223_372_036_854_775_000n);
  });

  it("runs one person's concurrent syncs one after the other: no lost update", async () => {
    const viewer = newViewer();
    const competition = await newCompetition(harness);
    await harness.competitions.join(viewer, competition.id);
    await Promise.all(Array.from({ length: 10 }, () => sync(viewer, [record(10)])));
    expect(await scoreOf(competition.id, viewer.id)).toBe(100);
    const standing = await harness.leaderboards.standing(competition.id, viewer.id);
    expect(standing).toEqual({ competitionId: competition.id, rank: 1, scoreMilli: 100_000n });
  });

  it("answers standings with shared ranks for ties", async () => {
    const competition = await newCompetition(harness);
    const [a, b, c] = [newViewer(), newViewer(), newViewer()];
    for (const v of [a, b, c]) await harness.competitions.join(v, competition.id);
    await sync(a, [record(500)]);
    await sync(b, [record(500)]);
    const result = await sync(c, [record(100)]);
    expect(result.standings).toEqual([
      { competitionId: competition.id, rank: 3, scoreMilli: 100_000n },
    ]);
    const tie = await sync(c, [record(400, { externalId: randomUUID() })]);
    expect(tie.standings[0]!.rank).toBe(1);
  });
});
