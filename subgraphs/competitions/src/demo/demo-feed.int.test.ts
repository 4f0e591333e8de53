import { createLogger } from "@pulse/platform/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  newCompetition,
  newViewer,
  startCompetitionsHarness,
  type CompetitionsHarness,
} from "../testing/competitions-harness.ts";
import { DEMO_ACTIVE, DEMO_FINISHED, DemoFeed } from "./demo-feed.ts";

let harness: CompetitionsHarness;
beforeAll(() => {
  harness = startCompetitionsHarness();
});
afterAll(() => harness?.close());

/** The sum of every score on the competition's board (the Redis index), in thousandths. */
async function boardTotal(competitionId: string): Promise<number> {
  let total = 0;
  let after: string | null = null;
  for (;;) {
    const page = await harness.leaderboards.page(competitionId, 100, after);
    for (const edge of page.edges) total += Number(edge.node.scoreMilli);
    if (!page.pageInfo.hasNextPage) return total;
    after = page.pageInfo.endCursor;
  }
}

describe("demo activity feed", () => {
  it("fills the seeded competition with a crowd, finishes one with ratings, and keeps it moving", async () => {
    const feed = new DemoFeed(harness, createLogger("competitions", "silent"));
    // Before the seeder made the active competition: nothing to do.
    await feed.tick();
    const active = await newCompetition(harness, { name: DEMO_ACTIVE });
    const alice = newViewer();
    await harness.competitions.join(alice, active.id);
    await feed.tick();
    const count = () =>
      harness.prisma.competitionParticipant.count({ where: { competitionId: active.id } });
    expect(await count()).toBe(200);
    const finished = await harness.prisma.competition.findFirstOrThrow({
      where: { name: DEMO_FINISHED },
    });
    expect(finished.ratingsAppliedAt).not.toBeNull();
    expect(await harness.prisma.ratingChange.count({ where: { userId: alice.id } })).toBe(1);
    // Each tick syncs at least 500 steps for each of five movers, and the board follows. (Who
    // is in the top five may stay the same: the movers are random.)
    const before = await boardTotal(active.id);
    await feed.tick();
    const after = await boardTotal(active.id);
    expect(after - before).toBeGreaterThanOrEqual(5 * 500 * 1000);
    const stored = await harness.prisma.competitionParticipant.aggregate({
      where: { competitionId: active.id },
      _sum: { scoreMilli: true },
    });
    expect(after).toBe(Number(stored._sum.scoreMilli));
  });
});
