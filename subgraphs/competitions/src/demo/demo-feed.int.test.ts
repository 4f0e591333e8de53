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
    const before = await harness.leaderboards.page(active.id, 5, null);
    await feed.tick();
    const after = await harness.leaderboards.page(active.id, 5, null);
    expect(after.edges.map((e) => e.node)).not.toEqual(before.edges.map((e) => e.node));
  });
});
