import type { Viewer } from "@pulse/platform/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  newCompetition,
  newViewer,
  record,
  startCompetitionsHarness,
  type CompetitionsHarness,
} from "../testing/competitions-harness.ts";
import { IndexCatchUp } from "./index-catch-up.ts";

let harness: CompetitionsHarness;
/** Its runs hold the replicas' lock for a millisecond only, so a test can run it again at once. */
let catchUp: IndexCatchUp;
beforeAll(async () => {
  harness = startCompetitionsHarness();
  catchUp = new IndexCatchUp(harness, 1);
  // The first run only notes where the writes are now.
  await runNow();
});
afterAll(() => harness?.close());

/** A run, once the lock of the one before it has lapsed. */
async function runNow(): Promise<number> {
  for (;;) {
    const handed = await catchUp.run();
    if (handed !== null) return handed;
  }
}

const sync = (viewer: Viewer, value: number) =>
  harness.activity.sync(viewer, { source: "MANUAL", records: [record(value)] });

/** A score committed to Postgres by a replica that died before writing it to Redis. */
async function committedOnly(
  competitionId: string,
  userId: string,
  score: number,
  version?: bigint,
) {
  await harness.prisma.$executeRaw`UPDATE competitions.participant
    SET score_milli = ${BigInt(score * 1000)},
      version = coalesce(${version ?? null}::bigint, nextval('competitions.score_version_seq'))
    WHERE competition_id = ${competitionId}::uuid AND user_id = ${userId}::uuid`;
}

async function takeVersion(): Promise<bigint> {
  const [{ version }] = await harness.prisma.$queryRaw<[{ version: bigint }]>`
    SELECT nextval('competitions.score_version_seq') AS version`;
  return version;
}

async function boardWith(count: number) {
  const competition = await newCompetition(harness);
  const people: Viewer[] = [];
  for (let i = 0; i < count; i += 1) {
    people.push(newViewer());
    await harness.competitions.join(people[i]!, competition.id);
  }
  await harness.leaderboards.page(competition.id, 1, null);
  return { competitionId: competition.id, people };
}

describe("the leaderboards' catch-up", () => {
  it("applies a committed score Redis never heard of, and tells those it overtook", async () => {
    const { competitionId, people } = await boardWith(2);
    const [alice, bob] = people as [Viewer, Viewer];
    await sync(alice, 500);
    const aliceRank = await harness.rankFeed.myRank(alice, competitionId, undefined);
    await committedOnly(competitionId, bob.id, 900);
    expect((await harness.index.standing(competitionId, bob.id)).standing?.rank).toBe(2);

    expect(await runNow()).toBeGreaterThan(0);
    expect((await harness.index.standing(competitionId, bob.id)).standing).toEqual({
      rank: 1,
      scoreMilli: 900_000n,
    });
    expect((await aliceRank.next()).value).toMatchObject({ rank: 2, previousRank: 1 });
    await aliceRank.return!();
  });

  it("looks again at what the run before saw: a write that took its version early and committed late is applied", async () => {
    const { competitionId, people } = await boardWith(2);
    const [early, late] = people as [Viewer, Viewer];
    const lateVersion = await takeVersion();
    await committedOnly(competitionId, early.id, 300);
    await runNow();
    expect((await harness.index.standing(competitionId, early.id)).standing?.scoreMilli).toBe(
      300_000n,
    );
    // The slow transaction commits now, with a version below one the last run already saw.
    await committedOnly(competitionId, late.id, 700, lateVersion);
    await runNow();
    expect((await harness.index.standing(competitionId, late.id)).standing).toEqual({
      rank: 1,
      scoreMilli: 700_000n,
    });
  });

  it("changes nothing on a board that has every write", async () => {
    const { competitionId, people } = await boardWith(2);
    await sync(people[0]!, 400);
    await sync(people[1]!, 200);
    const before = await harness.index.top(competitionId, 2);
    await runNow();
    await runNow();
    expect(await harness.index.top(competitionId, 2)).toEqual(before);
  });

  // Last: it holds the lock for a minute.
  it("lets one replica run per interval", async () => {
    const replicas = [1, 2, 3].map(() => new IndexCatchUp(harness, 60_000));
    for (;;) {
      // Once the lock of the test before has lapsed, exactly one of them runs.
      const ran = (await Promise.all(replicas.map((replica) => replica.run()))).filter(
        (handed) => handed !== null,
      );
      if (ran.length === 0) continue;
      expect(ran).toHaveLength(1);
      break;
    }
    expect(await replicas[0]!.run()).toBeNull();
  });
});
