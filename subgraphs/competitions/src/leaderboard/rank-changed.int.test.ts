import type { Viewer } from "@pulse/platform/server";
import { StreamResume, SUBSCRIBED_AT_MARGIN_MS } from "@pulse/platform/subgraph";
import { parse, subscribe, type ExecutionResult, type GraphQLSchema } from "graphql";
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

const MY_RANK = parse(`subscription ($id: ID!) {
  myRankChanged(competitionId: $id) { competition { id name } user { id } rank previousRank score }
}`);
const BOARD = parse(`subscription ($id: ID!, $top: Int) {
  leaderboardRankChanged(competitionId: $id, top: $top) { user { id } rank previousRank score }
}`);

type Events = AsyncIterableIterator<ExecutionResult>;
interface Change {
  user: { id: string };
  rank: number | null;
  previousRank: number | null;
  score: number | null;
}

/** Fails after this long when an expected event does not come. */
const EVENT_TIMEOUT_MS = 10_000;

async function open(
  document: typeof MY_RANK,
  viewer: Viewer,
  variables: Record<string, unknown>,
  resume?: StreamResume,
) {
  const context = { ...harness.context(viewer), ...(resume ? { resume } : {}) };
  const result = await subscribe({
    schema,
    document,
    variableValues: variables,
    contextValue: context,
  });
  if (!(Symbol.asyncIterator in result)) return { errors: (result as ExecutionResult).errors! };
  return { events: result as Events };
}

async function feed(
  document: typeof MY_RANK,
  viewer: Viewer,
  variables: Record<string, unknown>,
  resume?: StreamResume,
) {
  const { events, errors } = await open(document, viewer, variables, resume);
  if (!events) throw new Error(JSON.stringify(errors));
  return events;
}

async function next(events: Events): Promise<Change> {
  const result = await Promise.race([
    events.next(),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("no event within EVENT_TIMEOUT_MS")), EVENT_TIMEOUT_MS),
    ),
  ]);
  if (result.done) throw new Error("feed ended");
  expect(result.value.errors).toBeUndefined();
  const data = result.value.data as Record<string, Change>;
  return Object.values(data)[0]!;
}

const sync = (viewer: Viewer, value: number) =>
  harness.activity.sync(viewer, { source: "MANUAL", records: [record(value)] });

/**
 * When a client subscribed, as the gateway tells it: so that the stream starts from now (the
 * subgraph subtracts its margin), a millisecond after anything done before.
 */
function subscribedNow(): Date {
  const before = Date.now();
  while (Date.now() <= before) {
    // A millisecond at most: moves logged before are told apart from those after.
  }
  return new Date(Date.now() + SUBSCRIBED_AT_MARGIN_MS);
}

async function competitionWith(count: number) {
  const competition = await newCompetition(harness);
  const people: Viewer[] = [];
  for (let i = 0; i < count; i += 1) {
    const person = newViewer();
    people.push(person);
    await harness.competitions.join(person, competition.id);
  }
  // The board exists (and is ready) before anyone subscribes.
  await harness.leaderboards.page(competition.id, 1, null);
  return { competition, people };
}

describe("myRankChanged", () => {
  it("is for participants only, of a competition that exists", async () => {
    const { competition } = await competitionWith(1);
    const { errors } = await open(MY_RANK, newViewer(), { id: competition.id });
    expect(errors!.map((e) => e.extensions.code)).toEqual(["FORBIDDEN"]);
    const unknown = await open(MY_RANK, newViewer(), { id: crypto.randomUUID() });
    expect(unknown.errors!.map((e) => e.extensions.code)).toEqual(["NOT_FOUND"]);
    const anonymous = await open(MY_RANK, null as unknown as Viewer, { id: competition.id });
    expect(anonymous.errors!.map((e) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
  });

  it("tells of a change caused by someone else overtaking, and of one's own climb", async () => {
    const { competition, people } = await competitionWith(3);
    const [alice, bob, carol] = people as [Viewer, Viewer, Viewer];
    await sync(alice, 500);
    await sync(bob, 300);
    const events = await feed(MY_RANK, alice, { id: competition.id });
    // Carol overtakes Alice: Alice did nothing, her rank changed.
    await sync(carol, 900);
    harness.statements.reset();
    expect(await next(events)).toEqual({
      competition: { id: competition.id, name: competition.name },
      user: { id: alice.id },
      rank: 2,
      previousRank: 1,
      score: 500,
    });
    // The event, competition name included, needed no SQL.
    expect(harness.statements.count).toBe(0);
    // Bob passes nobody relevant to Alice's rank... then ties her: ties share, no change.
    await sync(bob, 200);
    // Alice climbs back.
    await sync(alice, 500);
    expect(await next(events)).toMatchObject({ rank: 1, previousRank: 2, score: 1000 });
    await events.return!();
  });

  it("chains under a burst: each previousRank is the rank of the event before, ending right", async () => {
    const { competition, people } = await competitionWith(30);
    const [me, ...others] = people as [Viewer, ...Viewer[]];
    await sync(me, 1000);
    const events = await feed(MY_RANK, me, { id: competition.id });
    // Thirty people overtake and fall back concurrently.
    await Promise.all(others.map((other, i) => sync(other, 500 + i * 50)));
    const final = await harness.leaderboards.standing(competition.id, me.id);
    const got: Change[] = [];
    let last = 1;
    while (last !== final!.rank) {
      const change = await next(events);
      got.push(change);
      last = change.rank!;
    }
    let previous = 1;
    for (const change of got) {
      expect(change.previousRank).toBe(previous);
      expect(change.rank).not.toBe(change.previousRank);
      previous = change.rank!;
    }
    expect(previous).toBe(final!.rank);
    await events.return!();
  });

  it("resumed at an older rank, first tells the current standing, then continues the chain", async () => {
    const { competition, people } = await competitionWith(2);
    const [me, other] = people as [Viewer, Viewer];
    await sync(me, 100);
    // The gateway last delivered rank 1; meanwhile the other person overtook.
    await sync(other, 500);
    const events = await feed(MY_RANK, me, { id: competition.id }, new StreamResume("1"));
    expect(await next(events)).toMatchObject({ rank: 2, previousRank: 1 });
    await sync(me, 1000);
    expect(await next(events)).toMatchObject({ rank: 1, previousRank: 2 });
    await events.return!();
  });

  it("started after the client subscribed, first tells a change made in between", async () => {
    const { competition, people } = await competitionWith(2);
    const [me, other] = people as [Viewer, Viewer];
    await sync(me, 100);
    const subscribedAt = subscribedNow();
    // Overtaken while the subscription was on its way to the subgraph.
    await sync(other, 500);
    const events = await feed(
      MY_RANK,
      me,
      { id: competition.id },
      new StreamResume(undefined, subscribedAt),
    );
    expect(await next(events)).toMatchObject({ rank: 2, previousRank: 1 });
    await sync(me, 1000);
    expect(await next(events)).toMatchObject({ rank: 1, previousRank: 2 });
    await events.return!();
  });

  it("after Redis lost the board, starts over from the rebuilt board and stays right", async () => {
    const { competition, people } = await competitionWith(2);
    const [me, other] = people as [Viewer, Viewer];
    await sync(me, 300);
    const events = await feed(MY_RANK, me, { id: competition.id });
    const keys = await harness.redis.keys(
      `${harness.redisPrefix}competitions:board:{${competition.id}}*`,
    );
    await harness.redis.del(...keys);
    await sync(other, 500);
    expect(await next(events)).toMatchObject({ rank: 2, previousRank: 1 });
    await events.return!();
  });
});

describe("leaderboardRankChanged", () => {
  it("streams changes inside the top `top`, entries entering and leaving it, and nothing below", async () => {
    const { competition, people } = await competitionWith(5);
    const [a, b, c, d, e] = people as [Viewer, Viewer, Viewer, Viewer, Viewer];
    await sync(a, 500);
    await sync(b, 400);
    await sync(c, 300);
    const events = await feed(BOARD, newViewer(), { id: competition.id, top: 2 });
    // Below the top two: nothing.
    await sync(d, 100);
    // E enters at the top: A and B move down, B leaves the top.
    await sync(e, 600);
    const got = [await next(events), await next(events), await next(events)];
    const byUser = new Map(got.map((change) => [change.user.id, change]));
    expect(byUser.get(e.id)).toMatchObject({ rank: 1, previousRank: null, score: 600 });
    expect(byUser.get(a.id)).toMatchObject({ rank: 2, previousRank: 1, score: 500 });
    expect(byUser.get(b.id)).toMatchObject({ rank: 3, previousRank: 2, score: 400 });
    // A sync below the top (D) reached nobody: the next event is about the top again.
    await sync(a, 200);
    expect(await next(events)).toMatchObject({ user: { id: a.id }, rank: 1, previousRank: 2 });
    expect(await next(events)).toMatchObject({ user: { id: e.id }, rank: 2, previousRank: 1 });
    await events.return!();
  });

  it("shares one read of the top among a process's watchers of the same board", async () => {
    const { competition, people } = await competitionWith(3);
    const top = harness.index.top.bind(harness.index);
    let reads = 0;
    harness.index.top = (...args) => {
      reads += 1;
      return top(...args);
    };
    try {
      const watchers = await Promise.all(
        Array.from({ length: 5 }, () => feed(BOARD, newViewer(), { id: competition.id, top: 2 })),
      );
      reads = 0;
      await sync(people[2]!, 700);
      for (const events of watchers) {
        expect(await next(events)).toMatchObject({ user: { id: people[2]!.id }, rank: 1 });
      }
      expect(reads).toBe(1);
      await Promise.all(watchers.map((events) => events.return!()));
    } finally {
      harness.index.top = top;
    }
  });

  it("started after the client subscribed, first tells what changed in between, chained", async () => {
    const { competition, people } = await competitionWith(3);
    const [a, b, c] = people as [Viewer, Viewer, Viewer];
    await sync(a, 500);
    await sync(b, 400);
    const subscribedAt = subscribedNow();
    await sync(c, 450);
    const events = await feed(
      BOARD,
      newViewer(),
      { id: competition.id, top: 2 },
      new StreamResume(undefined, subscribedAt),
    );
    const got = [await next(events), await next(events)];
    expect(got.map(({ user, rank, previousRank }) => [user.id, previousRank, rank])).toEqual([
      [c.id, null, 2],
      [b.id, 2, 3],
    ]);
    await events.return!();
  });

  it("resumed in the middle of an update, continues every entry's chain where it stopped", async () => {
    const { competition, people } = await competitionWith(5);
    const [a, b, c, d, e] = people as [Viewer, Viewer, Viewer, Viewer, Viewer];
    await sync(a, 500);
    await sync(b, 400);
    await sync(c, 300);
    const resume = new StreamResume(undefined);
    const first = await feed(BOARD, newViewer(), { id: competition.id, top: 3 }, resume);
    // E enters first: four events (E enters, A and B move down, C leaves). The socket drops
    // after the first two reached the gateway.
    await sync(e, 600);
    expect(await next(first)).toMatchObject({ user: { id: e.id }, rank: 1, previousRank: null });
    expect(await next(first)).toMatchObject({ user: { id: a.id }, rank: 2, previousRank: 1 });
    const position = resume.takePosition()!;
    await first.return!();
    // Meanwhile D goes first: the top is D, E, A; B and C are out.
    await sync(d, 1000);
    const resumed = await feed(
      BOARD,
      newViewer(),
      { id: competition.id, top: 3 },
      new StreamResume(position),
    );
    const got = [];
    for (let i = 0; i < 5; i += 1) got.push(await next(resumed));
    expect(got.map(({ user, rank, previousRank }) => [user.id, previousRank, rank])).toEqual([
      [d.id, null, 1],
      [e.id, 1, 2],
      [a.id, 2, 3],
      // B and C were last told at 2 and 3 (the update that moved them was cut short).
      ...[
        [b.id, 2, 4],
        [c.id, 3, 5],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    ]);
    await resumed.return!();
  });

  it("names the top a watcher was told on an update's last event: the same for watchers told the same", async () => {
    const { competition, people } = await competitionWith(3);
    const [a, b, c] = people as [Viewer, Viewer, Viewer];
    await sync(a, 500);
    await sync(c, 100);
    const variables = { id: competition.id, top: 2 };
    /** The events up to the one that names a state, and that state. */
    const update = async (events: Events, resume: StreamResume) => {
      const got: string[] = [];
      for (;;) {
        const change = await next(events);
        got.push(`${change.user.id}:${change.previousRank}>${change.rank}`);
        const state = resume.takeSharedState();
        if (state !== undefined) return { got, state };
      }
    };
    const early = new StreamResume(undefined, undefined, true);
    const first = await feed(BOARD, newViewer(), variables, early);
    // B goes above A and C leaves: the update's last event names the state (B, A).
    await sync(b, 700);
    const before = await update(first, early);
    expect(before.got).toEqual([`${b.id}:null>1`, `${a.id}:1>2`, `${c.id}:2>3`]);
    // A second watcher, subscribed now, was told the same top (B, A) by its catch-up or start.
    const late = new StreamResume(undefined, undefined, true);
    const second = await feed(BOARD, newViewer(), variables, late);
    // C enters between them and A leaves the top: both watchers get it and end in one state.
    await sync(c, 500);
    const [one, two] = [await update(first, early), await update(second, late)];
    expect(one.got).toEqual([`${c.id}:null>2`, `${a.id}:2>3`]);
    expect(two).toEqual(one);
    expect(one.state).not.toBe(before.state);
    // A stream whose operation selects a per-viewer field names no state.
    const personal = new StreamResume(undefined, undefined, false);
    const third = await feed(BOARD, newViewer(), variables, personal);
    await sync(a, 500);
    await next(third);
    expect(personal.takeSharedState()).toBeUndefined();
    await Promise.all([first.return!(), second.return!(), third.return!()]);
  });

  it("resumed after a whole update, tells only what changed since, chained", async () => {
    const { competition, people } = await competitionWith(3);
    const [a, b, c] = people as [Viewer, Viewer, Viewer];
    await sync(a, 500);
    await sync(b, 400);
    const resume = new StreamResume(undefined);
    const first = await feed(BOARD, newViewer(), { id: competition.id, top: 2 }, resume);
    await sync(b, 200);
    await next(first);
    await next(first);
    const position = resume.takePosition()!;
    await first.return!();
    // B 600 then A 500 was told. Now C takes the lead: B and A move down, A leaves the top two.
    await sync(c, 700);
    const resumed = await feed(
      BOARD,
      newViewer(),
      { id: competition.id, top: 2 },
      new StreamResume(position),
    );
    const got = [await next(resumed), await next(resumed), await next(resumed)];
    expect(got.map(({ user, rank, previousRank }) => [user.id, previousRank, rank])).toEqual([
      [c.id, null, 1],
      [b.id, 1, 2],
      [a.id, 2, 3],
    ]);
    await resumed.return!();
  });

  it("resumed where the board's log no longer reaches, starts every chain afresh", async () => {
    const { competition, people } = await competitionWith(2);
    const [a, b] = people as [Viewer, Viewer];
    await sync(a, 500);
    await sync(b, 400);
    const resumed = await feed(
      BOARD,
      newViewer(),
      { id: competition.id, top: 2 },
      new StreamResume("999999999"),
    );
    const got = [await next(resumed), await next(resumed)];
    expect(got.map(({ user, rank, previousRank }) => [user.id, previousRank, rank])).toEqual([
      [a.id, null, 1],
      [b.id, null, 2],
    ]);
    await resumed.return!();
  });

  it("shares one read of where a person who left the top stands among the watchers", async () => {
    const { competition, people } = await competitionWith(3);
    const [a, b, c] = people as [Viewer, Viewer, Viewer];
    await sync(a, 500);
    await sync(b, 400);
    const watchers = await Promise.all(
      Array.from({ length: 5 }, () => feed(BOARD, newViewer(), { id: competition.id, top: 2 })),
    );
    const standing = harness.index.standing.bind(harness.index);
    let reads = 0;
    harness.index.standing = (...args) => {
      reads += 1;
      return standing(...args);
    };
    try {
      // C enters second; B leaves the top two for third.
      await sync(c, 450);
      for (const events of watchers) {
        const got = [await next(events), await next(events)];
        expect(got.find((change) => change.user.id === b.id)).toMatchObject({
          rank: 3,
          previousRank: 2,
        });
      }
      expect(reads).toBe(1);
    } finally {
      harness.index.standing = standing;
    }
    await Promise.all(watchers.map((events) => events.return!()));
  });

  it("refuses a top outside 1..1000", async () => {
    const { competition } = await competitionWith(1);
    for (const top of [0, 1001]) {
      const { errors } = await open(BOARD, newViewer(), { id: competition.id, top });
      expect(errors!.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: "BAD_USER_INPUT", field: "top" }),
      ]);
    }
  });
});
