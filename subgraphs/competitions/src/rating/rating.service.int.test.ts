import type { Viewer } from "@pulse/platform/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCompetitionsServices } from "../server.ts";
import {
  newCompetition,
  newViewer,
  record,
  startCompetitionsHarness,
  type CompetitionsHarness,
} from "../testing/competitions-harness.ts";
import { Outbox } from "@pulse/platform/subgraph";

let harness: CompetitionsHarness;
beforeAll(() => {
  harness = startCompetitionsHarness();
});
afterAll(() => harness?.close());
afterEach(() => harness.clock.reset());

async function finishedWith(scores: number[]) {
  const competition = await newCompetition(harness);
  const people: Viewer[] = [];
  for (const score of scores) {
    const person = newViewer();
    people.push(person);
    await harness.competitions.join(person, competition.id);
    if (score > 0) {
      await harness.activity.sync(person, { source: "MANUAL", records: [record(score)] });
    }
  }
  harness.clock.set(new Date(competition.endsAt.getTime() + 1000));
  return { competition, people };
}

const ratingOf = async (userId: string) =>
  (await harness.prisma.rating.findUniqueOrThrow({ where: { userId } })).rating;

describe("rating ladder", () => {
  it("applies a finish exactly once, however many sweeps race, by pairwise Elo", async () => {
    const { competition, people } = await finishedWith([900, 500, 500, 100]);
    // Four replicas sweep at once, then one sweeps again after a restart.
    const replicas = Array.from({ length: 4 }, () =>
      createCompetitionsServices({
        ...harness,
        outbox: new Outbox("competitions"),
        now: harness.clock.now,
      }),
    );
    const applied = await Promise.all(replicas.map((r) => r.ratings.applyFinish(competition.id)));
    expect(applied.filter(Boolean)).toHaveLength(1);
    expect(await harness.ratings.applyFinish(competition.id)).toBe(false);
    const ratings = await Promise.all(people.map((p) => ratingOf(p.id)));
    // 900 beats all three (S = 1), the 500s beat one and tie one (S = 0.5), 100 loses all.
    expect(ratings).toEqual([1016, 1000, 1000, 984]);
    const changes = await harness.prisma.ratingChange.findMany({
      where: { competitionId: competition.id },
      orderBy: { rank: "asc" },
    });
    expect(changes.map((c) => c.rank)).toEqual([1, 2, 2, 4]);
  });

  it("does not apply a competition before it finishes; the sweep applies what finished", async () => {
    const competition = await newCompetition(harness);
    const person = newViewer();
    await harness.competitions.join(person, competition.id);
    expect(await harness.ratings.applyFinish(competition.id)).toBe(false);
    harness.clock.set(new Date(competition.endsAt.getTime() + 1000));
    expect(await harness.ratings.applyFinished()).toContain(competition.id);
    expect(await harness.ratings.applyFinished()).not.toContain(competition.id);
  });

  it("ranks the ladder with shared ranks over keyset pages", async () => {
    const { competition, people } = await finishedWith([300, 300, 200, 100]);
    await harness.ratings.applyFinish(competition.id);
    const ours = new Set(people.map((p) => p.id));
    const entries: { userId: string; rating: number; rank: number }[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await harness.ratings.ladder(3, after);
      entries.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // Every entry's rank is 1 + those rated strictly higher, across the whole ladder.
    for (const entry of entries) {
      expect(entry.rank).toBe(1 + entries.filter((other) => other.rating > entry.rating).length);
    }
    const mine = entries.filter((e) => ours.has(e.userId));
    expect(mine.map((e) => e.rating)).toEqual([1011, 1011, 995, 984]);
    expect(mine[0]!.rank).toBe(mine[1]!.rank);
  });

  it("user.deleted removes the person from every board and the ladder, and their activity", async () => {
    const competition = await newCompetition(harness);
    const other = await newCompetition(harness);
    const [gone, stays] = [newViewer(), newViewer()];
    for (const c of [competition, other]) {
      await harness.competitions.join(gone, c.id);
      await harness.competitions.join(stays, c.id);
    }
    await harness.activity.sync(gone, { source: "MANUAL", records: [record(500)] });
    await harness.activity.sync(stays, { source: "MANUAL", records: [record(100)] });
    expect(await harness.leaderboards.standing(competition.id, stays.id)).toMatchObject({
      rank: 2,
    });
    await harness.deliver("user.deleted", { userId: gone.id });
    for (const c of [competition, other]) {
      expect(await harness.leaderboards.standing(c.id, gone.id)).toBeNull();
      expect(await harness.leaderboards.standing(c.id, stays.id)).toMatchObject({ rank: 1 });
      const row = await harness.prisma.competition.findUniqueOrThrow({ where: { id: c.id } });
      expect(row.participantCount).toBe(1);
    }
    expect(await harness.prisma.activityRecord.count({ where: { userId: gone.id } })).toBe(0);
    expect(await harness.prisma.rating.count({ where: { userId: gone.id } })).toBe(0);
    // Delivered again: nothing left to do.
    await harness.deliver("user.deleted", { userId: gone.id });
  });
});
