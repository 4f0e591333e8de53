import { randomUUID } from "node:crypto";
import type { Viewer } from "@pulse/platform/server";
import { execute, parse, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompetitionsSchema } from "../schema.ts";
import {
  newCompetition,
  newViewer,
  record,
  startCompetitionsHarness,
  type CompetitionsHarness,
} from "../testing/competitions-harness.ts";

let harness: CompetitionsHarness;
let schema: GraphQLSchema;
beforeAll(async () => {
  harness = startCompetitionsHarness();
  schema = await buildCompetitionsSchema();
});
afterAll(() => harness?.close());

const LEADERBOARD = `query ($id: ID!, $first: Int, $after: String) {
  competition(id: $id) {
    leaderboard(first: $first, after: $after) {
      edges { cursor node { rank score user { id } } }
      pageInfo { hasNextPage endCursor }
    }
    myStanding { rank score }
  }
}`;

async function board(viewer: Viewer, id: string, first?: number, after?: string | null) {
  const result = await execute({
    schema,
    document: parse(LEADERBOARD),
    variableValues: { id, first, after },
    contextValue: harness.context(viewer),
  });
  expect(result.errors).toBeUndefined();
  return (result.data as any).competition;
}

/** Every entry of a board, page by page. */
async function allEntries(viewer: Viewer, id: string, first: number) {
  const entries: { rank: number; score: number; user: { id: string } }[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = (await board(viewer, id, first, after)).leaderboard;
    entries.push(...page.edges.map((edge: any) => edge.node));
    if (!page.pageInfo.hasNextPage) return entries;
    after = page.pageInfo.endCursor;
  }
}

/** The board recomputed from Postgres: rank = 1 + the number strictly higher. */
async function truth(competitionId: string) {
  const rows = await harness.prisma.competitionParticipant.findMany({ where: { competitionId } });
  return new Map(
    rows.map((row) => [
      row.userId,
      {
        score: Number(row.scoreMilli) / 1000,
        rank: 1 + rows.filter((other) => other.scoreMilli > row.scoreMilli).length,
      },
    ]),
  );
}

/** A competition with `scores.length` participants, each synced their score. */
async function populated(scores: number[]) {
  const competition = await newCompetition(harness);
  const people: Viewer[] = [];
  for (const score of scores) {
    const person = newViewer();
    people.push(person);
    await harness.competitions.join(person, competition.id);
    if (score > 0)
      await harness.activity.sync(person, { source: "MANUAL", records: [record(score)] });
  }
  return { competition, people };
}

describe("leaderboard", () => {
  it("orders by score then a stable tie-break; ties share a rank; keyset pages lose nothing", async () => {
    const scores = [500, 300, 500, 100, 300, 300, 0, 900, 500, 100, 0];
    const { competition, people } = await populated(scores);
    const viewer = people[1]!;
    const entries = await allEntries(viewer, competition.id, 3);
    expect(entries).toHaveLength(scores.length);
    expect(new Set(entries.map((e) => e.user.id)).size).toBe(scores.length);
    expect(entries.map((e) => [e.score, e.rank])).toEqual([
      [900, 1],
      [500, 2],
      [500, 2],
      [500, 2],
      [300, 5],
      [300, 5],
      [300, 5],
      [100, 8],
      [100, 8],
      [0, 10],
      [0, 10],
    ]);
    // Ties in descending user id order, the same on every read.
    for (let i = 1; i < entries.length; i += 1) {
      if (entries[i]!.score === entries[i - 1]!.score) {
        expect(entries[i]!.user.id < entries[i - 1]!.user.id).toBe(true);
      }
    }
    const expected = await truth(competition.id);
    for (const entry of entries) expect(entry).toMatchObject(expected.get(entry.user.id)!);
    harness.statements.reset();
    expect((await board(viewer, competition.id, 1)).myStanding).toEqual({ rank: 5, score: 300 });
    // The competition; its page and the standing come from Redis, users from the gateway.
    expect(harness.statements.count).toBe(1);
    expect((await board(newViewer(), competition.id, 1)).myStanding).toBeNull();
  });

  it("continues a page after an entry that moved meanwhile, where its key would stand", async () => {
    const { competition, people } = await populated([100, 200, 300, 400, 500]);
    const viewer = people[0]!;
    const first = (await board(viewer, competition.id, 2)).leaderboard;
    expect(first.edges.map((e: any) => e.node.score)).toEqual([500, 400]);
    // The 400 climbs to the top: the next page still starts after the key (400, id).
    await harness.activity.sync(people[3]!, { source: "MANUAL", records: [record(1000)] });
    const next = (await board(viewer, competition.id, 2, first.pageInfo.endCursor)).leaderboard;
    expect(next.edges.map((e: any) => [e.node.score, e.node.rank])).toEqual([
      [300, 3],
      [200, 4],
    ]);
  });

  it("is rebuilt from Postgres after Redis lost it, with right ranks throughout", async () => {
    const scores = Array.from({ length: 40 }, (_, i) => ((i * 37) % 13) * 100);
    const { competition, people } = await populated(scores);
    const viewer = people[0]!;
    const before = await allEntries(viewer, competition.id, 7);
    // Redis loses everything of this prefix (a flush, a restart without persistence).
    const keys = await harness.redis.keys(`${harness.redisPrefix}*`);
    await harness.redis.del(...keys);
    // Writes keep coming while the board is gone, and reads during the rebuild.
    const during = harness.activity.sync(people[5]!, { source: "MANUAL", records: [record(2000)] });
    const readers = Array.from({ length: 5 }, () => allEntries(viewer, competition.id, 7));
    const [synced, ...pages] = await Promise.all([during, ...readers]);
    expect(synced.standings[0]).toMatchObject({ rank: 1 });
    const expected = await truth(competition.id);
    for (const page of pages) {
      for (const entry of page) {
        // Each read saw either the board before the sync or after it, never a partial board.
        const now = expected.get(entry.user.id)!;
        const was = before.find((e) => e.user.id === entry.user.id)!;
        expect([
          JSON.stringify(now),
          JSON.stringify({ score: was.score, rank: was.rank }),
        ]).toContain(JSON.stringify({ score: entry.score, rank: entry.rank }));
      }
    }
    const after = await allEntries(viewer, competition.id, 7);
    expect(after).toHaveLength(scores.length);
    for (const entry of after) expect(entry).toMatchObject(expected.get(entry.user.id)!);
  });

  it("ignores an index write older than one already applied", async () => {
    const { competition, people } = await populated([100]);
    const person = people[0]!;
    const row = await harness.prisma.competitionParticipant.findUniqueOrThrow({
      where: { competitionId_userId: { competitionId: competition.id, userId: person.id } },
    });
    const [rank] = await harness.index.apply(competition.id, [
      { userId: person.id, version: row.version - 1n, scoreMilli: 5_000_000n },
    ]);
    expect(rank).toBeNull();
    expect(await harness.leaderboards.standing(competition.id, person.id)).toEqual({
      competitionId: competition.id,
      rank: 1,
      scoreMilli: 100_000n,
    });
  });

  it("refuses a cursor it did not make", async () => {
    const { competition, people } = await populated([1]);
    const result = await execute({
      schema,
      document: parse(LEADERBOARD),
      variableValues: { id: competition.id, after: randomUUID() },
      contextValue: harness.context(people[0]!),
    });
    expect(result.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});
