import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerWithProfile, type PersonWithProfile } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { publishEvent } from "@pulse/testkit/events";
import { streamKey } from "@pulse/platform/subgraph";

let stack: Stack;
beforeAll(async () => {
  // The finisher sweeps often, so a finished competition's ratings apply within the test.
  stack = await startStack({ RATING_SWEEP_MS: "200" });
});
afterAll(() => stack?.close());

const HOUR = 60 * 60 * 1000;
/** How long events between subgraphs may take to arrive. */
const EVENT_TIMEOUT = { timeout: 20_000, interval: 50 };

function errorOf(response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) {
  expect(response.errors, "expected an error").toHaveLength(1);
  return response.errors![0]!.extensions!;
}

async function create(person: PersonWithProfile, fields: Record<string, unknown> = {}) {
  const now = Date.now();
  const response = await person.client.op("CreateCompetition", {
    input: {
      name: `Steps ${randomUUID().slice(0, 6)}`,
      metric: "STEPS",
      startsAt: new Date(now - HOUR).toISOString(),
      endsAt: new Date(now + 24 * HOUR).toISOString(),
      ...fields,
    },
  });
  expect(response.errors).toBeUndefined();
  return response.data!.createCompetition as Record<string, any>;
}

/** When every synced record ends: the same record synced twice is a duplicate. */
const endedAt = Date.now() - 60_000;

function sync(person: PersonWithProfile, records: { value: number; externalId?: string }[]) {
  return person.client.op("SyncActivity", {
    input: {
      source: "GOOGLE_FIT",
      records: records.map(({ value, externalId }) => ({
        externalId: externalId ?? randomUUID(),
        metric: "STEPS",
        value,
        startedAt: new Date(endedAt - 30 * 60_000).toISOString(),
        endedAt: new Date(endedAt).toISOString(),
      })),
    },
  });
}

describe("competitions through the gateway", () => {
  it("create, list, join, sync, then the leaderboard with profiles and the viewer's standing", async () => {
    const alice = await registerWithProfile(stack, { displayName: "Alice" });
    const bob = await registerWithProfile(stack, { displayName: "Bob" });
    const competition = await create(alice);
    expect(competition).toMatchObject({ status: "ACTIVE", entryFee: null, metric: "STEPS" });

    for (const person of [alice, bob]) {
      const joined = await person.client.op("JoinCompetition", { competitionId: competition.id });
      expect(joined.errors).toBeUndefined();
      expect(joined.data!.joinCompetition.isJoined).toBe(true);
    }
    expect(
      errorOf(await bob.client.op("JoinCompetition", { competitionId: competition.id })),
    ).toMatchObject({ code: "CONFLICT" });

    const listed = await alice.client.op("Competitions", { status: "ACTIVE", first: 100 });
    expect(listed.errors).toBeUndefined();
    const node = listed
      .data!.competitions.edges.map((edge: any) => edge.node)
      .find((n: any) => n.id === competition.id);
    expect(node).toMatchObject({ participantCount: 2, isJoined: true, status: "ACTIVE" });

    const first = await sync(alice, [{ value: 4000, externalId: "w1" }]);
    expect(first.data!.syncActivity).toEqual({
      accepted: 1,
      duplicates: 0,
      standings: [{ competition: { id: competition.id }, rank: 1, score: 4000 }],
    });
    const bobs = await sync(bob, [{ value: 4000 }]);
    expect(bobs.data!.syncActivity.standings[0]).toMatchObject({ rank: 1, score: 4000 });
    const again = await sync(alice, [{ value: 4000, externalId: "w1" }]);
    expect(again.data!.syncActivity).toMatchObject({ accepted: 0, duplicates: 1 });
    const bad = await sync(alice, [{ value: 1 }, { value: 100_000 }]);
    expect(errorOf(bad)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.records.1.value" });

    const board = await bob.client.op("Leaderboard", { competitionId: competition.id, first: 1 });
    expect(board.errors).toBeUndefined();
    const page = board.data!.competition.leaderboard;
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await bob.client.op("Leaderboard", {
      competitionId: competition.id,
      first: 1,
      after: page.pageInfo.endCursor,
    });
    const entries = [...page.edges, ...next.data!.competition.leaderboard.edges].map(
      (edge: any) => edge.node,
    );
    expect(entries.map((e: any) => [e.rank, e.score, e.user.profile.displayName]).sort()).toEqual(
      [
        [1, 4000, "Alice"],
        [1, 4000, "Bob"],
      ].sort(),
    );
    expect(board.data!.competition.myStanding).toEqual({ rank: 1, score: 4000 });

    const left = await bob.client.op("LeaveCompetition", { competitionId: competition.id });
    expect(left.data!.leaveCompetition).toMatchObject({ isJoined: false, participantCount: 1 });
  });

  it("a fee: PAYMENT_REQUIRED until billing's entry.paid arrives; competition.created tells billing", async () => {
    const alice = await registerWithProfile(stack);
    const competition = await create(alice, { entryFeeCents: 900, currency: "usd" });
    expect(competition.entryFee).toEqual({ amountCents: 900, currency: "usd" });
    await vi.waitFor(async () => {
      const events = await stack.redis.xrange(
        streamKey(stack.redisPrefix, "competition.created"),
        "-",
        "+",
      );
      const payloads = events.map(([, fields]) => JSON.parse(fields[1]!).payload);
      expect(payloads).toContainEqual(
        expect.objectContaining({ competitionId: competition.id, entryFeeCents: 900 }),
      );
    }, EVENT_TIMEOUT);
    expect(
      errorOf(await alice.client.op("JoinCompetition", { competitionId: competition.id })),
    ).toMatchObject({ code: "PAYMENT_REQUIRED" });
    await publishEvent(
      stack,
      "entry.paid",
      {
        paymentId: randomUUID(),
        competitionId: competition.id,
        userId: alice.id,
        amountCents: 900,
        currency: "usd",
        paidAt: new Date().toISOString(),
      },
      "billing",
    );
    await vi.waitFor(async () => {
      const board = await alice.client.op("Leaderboard", { competitionId: competition.id });
      expect(board.data!.competition.myStanding).toEqual({ rank: 1, score: 0 });
    }, EVENT_TIMEOUT);
  });

  it("a finished competition moves ratings once; the rating ladder shows them with usernames", async () => {
    const alice = await registerWithProfile(stack);
    const bob = await registerWithProfile(stack);
    const competition = await create(alice);
    for (const person of [alice, bob]) {
      await person.client.op("JoinCompetition", { competitionId: competition.id });
    }
    await sync(alice, [{ value: 5000 }]);
    // It finishes (its window moved into the past).
    await stack.prisma.competition.update({
      where: { id: competition.id },
      data: { startsAt: new Date(Date.now() - 2 * HOUR), endsAt: new Date(Date.now() - 1000) },
    });
    await vi.waitFor(async () => {
      const row = await stack.prisma.competition.findUniqueOrThrow({
        where: { id: competition.id },
      });
      expect(row.ratingsAppliedAt).not.toBeNull();
    }, EVENT_TIMEOUT);
    const entries: any[] = [];
    let after: string | null = null;
    for (;;) {
      const ladder: any = await bob.client.op("RatingLeaderboard", { first: 50, after });
      expect(ladder.errors).toBeUndefined();
      entries.push(...ladder.data.ratingLeaderboard.edges.map((edge: any) => edge.node));
      if (!ladder.data.ratingLeaderboard.pageInfo.hasNextPage) break;
      after = ladder.data.ratingLeaderboard.pageInfo.endCursor;
    }
    const of = (id: string) => entries.find((entry) => entry.user.id === id);
    expect(of(alice.id)).toMatchObject({
      rating: 1016,
      user: { profile: { username: alice.profile.username } },
    });
    expect(of(bob.id)).toMatchObject({ rating: 984 });
    expect(of(alice.id).rank).toBeLessThan(of(bob.id).rank);
  });
});
