import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiClient } from "@pulse/testkit/api-client";
import { registerWithProfile, type PersonWithProfile } from "@pulse/testkit/fixtures";
import { startGateway, startStack, type RunningGateway, type Stack } from "@pulse/testkit/stack";
import { liveListeners } from "@pulse/testkit/live";
import { WsTestClient } from "@pulse/testkit/ws-client";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const HOUR = 60 * 60 * 1000;
/** How long a live change may take to reach a subscriber. */
const LIVE_TIMEOUT = { timeout: 20_000, interval: 50 };
const endedAt = Date.now() - 60_000;

async function competitionOf(people: PersonWithProfile[]) {
  const response = await people[0]!.client.op("CreateCompetition", {
    input: {
      name: `Live ${randomUUID().slice(0, 6)}`,
      metric: "STEPS",
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    },
  });
  const competition = response.data!.createCompetition as { id: string; name: string };
  for (const person of people) {
    const joined = await person.client.op("JoinCompetition", { competitionId: competition.id });
    expect(joined.errors).toBeUndefined();
  }
  return competition;
}

/** Syncs one record; the same `externalId` again replaces it, moving the score by the difference. */
function sync(client: ApiClient, value: number, externalId: string = randomUUID()) {
  return client.op("SyncActivity", {
    input: {
      source: "MANUAL",
      records: [
        {
          externalId,
          metric: "STEPS",
          value,
          startedAt: new Date(endedAt - 30 * 60_000).toISOString(),
          endedAt: new Date(endedAt).toISOString(),
        },
      ],
    },
  });
}

/** Waits until `count` upstream subscriptions listen to the competition's board. */
async function listening(competitionId: string, count: number) {
  await vi.waitFor(async () => {
    const subscribers = await liveListeners(stack, "rank-changed", competitionId);
    expect(subscribers).toBeGreaterThanOrEqual(count);
  }, LIVE_TIMEOUT);
}

/** The sum of the gateway's metric `name` over its labels. */
async function gatewayMetric(name: string): Promise<number> {
  const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
  return metrics
    .split("\n")
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
}

/** `OnLeaderboardRankChanged` with a field that depends on who watches. */
const PERSONAL_WATCH = `subscription ($competitionId: ID!, $top: Int) {
  leaderboardRankChanged(competitionId: $competitionId, top: $top) {
    competition { id isJoined }
    user { id profile { displayName } }
    rank
    previousRank
    score
  }
}`;

type Change = { rank: number | null; previousRank: number | null; score: number | null } & Record<
  string,
  any
>;
const changes = (results: { data?: unknown }[], field: string) =>
  results.map((result) => (result.data as Record<string, Change>)[field]!);

describe("rank changes through the gateway", () => {
  it("myRankChanged tells Alice that Bob overtook her; a watcher sees the top with profiles", async () => {
    const alice = await registerWithProfile(stack, { displayName: "Alice" });
    const bob = await registerWithProfile(stack, { displayName: "Bob" });
    const watcher = await registerWithProfile(stack);
    const competition = await competitionOf([alice, bob]);
    await sync(alice.client, 500);
    const aliceSocket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const watcherSocket = await WsTestClient.connect(stack.gatewayUrl, watcher.accessToken);
    const mine = aliceSocket.subscribe("OnMyRankChanged", { competitionId: competition.id });
    await listening(competition.id, 1);
    const top = watcherSocket.subscribe("OnLeaderboardRankChanged", {
      competitionId: competition.id,
      top: 10,
    });
    // One process shares one Redis subscription per channel: a change inside the top that
    // leaves Alice's rank alone shows when the watcher is live.
    let probes = 0;
    await vi.waitFor(async () => {
      probes += 1;
      await sync(bob.client, 100);
      expect(top.results.length).toBeGreaterThan(0);
    }, LIVE_TIMEOUT);
    await sync(bob.client, 900 - 100 * probes);
    const [mineFirst] = await mine.results$(1);
    expect(mineFirst).toEqual({
      data: {
        myRankChanged: {
          competition: { id: competition.id, name: competition.name },
          rank: 2,
          previousRank: 1,
          score: 500,
        },
      },
    });
    await vi.waitFor(() => {
      expect(changes(top.results, "leaderboardRankChanged")).toEqual(
        expect.arrayContaining([
          {
            competition: { id: competition.id },
            user: { id: bob.id, profile: { displayName: "Bob" } },
            rank: 1,
            previousRank: 2,
            score: 900,
          },
          {
            competition: { id: competition.id },
            user: { id: alice.id, profile: { displayName: "Alice" } },
            rank: 2,
            previousRank: 1,
            score: 500,
          },
        ]),
      );
    }, LIVE_TIMEOUT);
    // Only participants follow their own rank.
    const notMine = watcherSocket.subscribe("OnMyRankChanged", { competitionId: competition.id });
    const [refused] = await notMine.results$(1);
    expect(refused!.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    await aliceSocket.close();
    await watcherSocket.close();
  });

  it("chains under a burst: every event's previousRank is the rank of the one before", async () => {
    const people = await Promise.all(Array.from({ length: 9 }, () => registerWithProfile(stack)));
    const [alice, probe, ...others] = people as [
      PersonWithProfile,
      PersonWithProfile,
      ...PersonWithProfile[],
    ];
    const competition = await competitionOf(people);
    await sync(alice.client, 1000);
    const socket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const mine = socket.subscribe("OnMyRankChanged", { competitionId: competition.id });
    await listening(competition.id, 1);
    // The feed starts from Alice's standing, read after it follows the channel (which is all
    // `listening` sees): until it tells her something, a change may land before it started and
    // never be told. So the probe passes her and drops back below until she hears of it.
    const probeRecord = randomUUID();
    await vi.waitFor(async () => {
      expect((await sync(probe.client, 2000, probeRecord)).errors).toBeUndefined();
      expect((await sync(probe.client, 1, probeRecord)).errors).toBeUndefined();
      expect(mine.results.length).toBeGreaterThan(0);
    }, LIVE_TIMEOUT);
    // Everyone else passes Alice at once: each needs both of their syncs to get above her 1000.
    const burst = await Promise.all(
      others.flatMap((other, i) => [sync(other.client, 600 + i * 10), sync(other.client, 600)]),
    );
    // A write that failed would leave her short of rank 8, which would read as a lost event.
    expect(burst.map((response) => response.errors)).toEqual(burst.map(() => undefined));
    // All seven are above her now: she ends at rank 8.
    await vi.waitFor(() => {
      const got = changes(mine.results, "myRankChanged");
      expect(got.at(-1)?.rank).toBe(8);
    }, LIVE_TIMEOUT);
    const got = changes(mine.results, "myRankChanged");
    // The first event starts where the feed started: rank 1, or 2 if it started while the
    // probe was above her. Each later one starts where the one before it ended: coalesced,
    // never lost or repeated.
    expect([1, 2]).toContain(got[0]!.previousRank);
    for (const [i, change] of got.entries()) {
      if (i > 0) expect(change.previousRank).toBe(got[i - 1]!.rank);
    }
    await socket.close();
  });

  it("watchers told the same top share one upstream subscription and one run of each event's plan", async () => {
    const [alice, bob, carol] = await Promise.all(
      ["Alice", "Bob", "Carol"].map((displayName) => registerWithProfile(stack, { displayName })),
    );
    const competition = await competitionOf([alice!, bob!, carol!]);
    await sync(alice!.client, 500);
    const variables = { competitionId: competition.id, top: 5 };
    // This file has the stack's gateway to itself: once the earlier tests' subscriptions are
    // closed, it holds no upstream subscription.
    await vi.waitFor(async () => {
      expect(await gatewayMetric("gateway_subscription_upstreams")).toBe(0);
    }, LIVE_TIMEOUT);
    const sockets = await Promise.all(
      [1, 2, 3, 4, 5].map(async () => {
        const watcher = await registerWithProfile(stack);
        return WsTestClient.connect(stack.gatewayUrl, watcher.accessToken);
      }),
    );
    const shared = sockets.slice(0, 3).map((socket) => {
      return socket.subscribe("OnLeaderboardRankChanged", variables);
    });
    // Whether the viewer joined is theirs alone: these never share.
    const personal = sockets.slice(3).map((socket) => {
      return socket.subscribe("OnLeaderboardRankChanged", variables, PERSONAL_WATCH);
    });
    const watchers = [...shared, ...personal];
    // Bob moves inside the top until every watcher has heard of it: all are told the same top,
    // and the three alike end on one upstream subscription.
    const probe = randomUUID();
    let value = 100;
    await vi.waitFor(async () => {
      await sync(bob!.client, (value += 1), probe);
      for (const watcher of watchers) expect(watcher.results.length).toBeGreaterThan(0);
    }, LIVE_TIMEOUT);
    await vi.waitFor(async () => {
      await sync(bob!.client, (value += 1), probe);
      expect(await gatewayMetric("gateway_subscription_upstreams")).toBe(3);
    }, LIVE_TIMEOUT);
    // The last of those moves may still be on its way to some: count from when all have it.
    await vi.waitFor(() => {
      for (const watcher of watchers) {
        const last = changes(watcher.results, "leaderboardRankChanged").at(-1);
        expect([last?.user.id, last?.score]).toEqual([bob!.id, value]);
      }
    }, LIVE_TIMEOUT);
    const counts = watchers.map((watcher) => watcher.results.length);
    const fetchesBefore = await gatewayMetric("gateway_subscription_entity_fetches_total");

    // Carol goes first: three events (Carol enters, Alice and Bob move down) to each watcher.
    await sync(carol!.client, 900);
    await vi.waitFor(() => {
      for (const [i, watcher] of watchers.entries()) {
        expect(watcher.results.length).toBeGreaterThanOrEqual(counts[i]! + 3);
      }
    }, LIVE_TIMEOUT);
    const told = watchers.map((watcher, i) =>
      changes(watcher.results.slice(counts[i]), "leaderboardRankChanged").map(
        ({ user, previousRank, rank }) => [user.id, previousRank, rank],
      ),
    );
    const expected = [
      [carol!.id, 3, 1],
      [alice!.id, 1, 2],
      [bob!.id, 2, 3],
    ];
    expect(told).toEqual(watchers.map(() => expected));
    // Each event's plan ran once for the three who share a stream (one profiles fetch each),
    // and once per personal watcher.
    const fetches =
      (await gatewayMetric("gateway_subscription_entity_fetches_total")) - fetchesBefore;
    expect(fetches).toBe(3 * (1 + personal.length));
    await Promise.all(sockets.map((socket) => socket.close()));
    await vi.waitFor(async () => {
      expect(await gatewayMetric("gateway_subscription_upstreams")).toBe(0);
    }, LIVE_TIMEOUT);
  });

  describe("a competitions restart", () => {
    let secondGateway: RunningGateway;
    let replica: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      replica = await stack.startReplica("competitions");
      secondGateway = await startGateway(stack, {
        SUBGRAPH_COMPETITIONS_URL: `${replica.url}/graphql`,
      });
    });
    afterAll(async () => {
      await secondGateway?.close();
      await replica?.close();
    });
    /** Stops the stack's competitions, syncs 1000 for `person` through the other gateway, restarts it. */
    async function climbWhileDown(person: PersonWithProfile) {
      await stack.stopSubgraph("competitions");
      try {
        const onB = new ApiClient(`${secondGateway.url}/graphql`, person.accessToken);
        expect((await sync(onB, 1000)).errors).toBeUndefined();
      } finally {
        await stack.startSubgraph("competitions");
      }
    }

    it("resumes the chain: a change made while it was down comes first, with the right previousRank", async () => {
      const alice = await registerWithProfile(stack);
      const bob = await registerWithProfile(stack);
      const competition = await competitionOf([alice, bob]);
      await sync(alice.client, 500);
      await sync(bob.client, 100);
      const socket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
      const mine = socket.subscribe("OnMyRankChanged", { competitionId: competition.id });
      await listening(competition.id, 1);
      await sync(bob.client, 500);
      await sync(alice.client, 100);
      // 600 against 600: tied, still rank 1. Bob goes ahead: rank 2.
      await sync(bob.client, 50);
      expect(changes(await mine.results$(1), "myRankChanged")[0]).toMatchObject({
        rank: 2,
        previousRank: 1,
      });
      // Alice climbs back through the other gateway while her subgraph is down.
      await climbWhileDown(alice);
      const [, resumed] = changes(await mine.results$(2), "myRankChanged");
      expect(resumed).toMatchObject({ rank: 1, previousRank: 2 });
      await listening(competition.id, 1);
      await sync(bob.client, 5000);
      const [, , last] = changes(await mine.results$(3), "myRankChanged");
      expect(last).toMatchObject({ rank: 2, previousRank: 1 });
      await socket.close();
    });

    it("resumes a watcher's top: what changed while it was down comes with each entry's previous rank", async () => {
      const alice = await registerWithProfile(stack);
      const bob = await registerWithProfile(stack);
      const watcher = await registerWithProfile(stack);
      const competition = await competitionOf([alice, bob]);
      await sync(alice.client, 500);
      await sync(bob.client, 100);
      const socket = await WsTestClient.connect(stack.gatewayUrl, watcher.accessToken);
      const top = socket.subscribe("OnLeaderboardRankChanged", {
        competitionId: competition.id,
        top: 2,
      });
      await listening(competition.id, 1);
      await sync(bob.client, 500);
      const seen = (results: { data?: unknown }[]) =>
        changes(results, "leaderboardRankChanged").map((change) => ({
          user: change.user.id as string,
          rank: change.rank,
          previousRank: change.previousRank,
        }));
      // Bob 600 goes ahead of Alice 500.
      expect(seen(await top.results$(2))).toEqual(
        expect.arrayContaining([
          { user: bob.id, rank: 1, previousRank: 2 },
          { user: alice.id, rank: 2, previousRank: 1 },
        ]),
      );
      // Alice climbs back through the other gateway while the watcher's subgraph is down.
      await climbWhileDown(alice);
      // The chains go on from what the watcher was told, not from nothing.
      expect(seen(await top.results$(4)).slice(2)).toEqual(
        expect.arrayContaining([
          { user: alice.id, rank: 1, previousRank: 2 },
          { user: bob.id, rank: 2, previousRank: 1 },
        ]),
      );
      await socket.close();
    });
  });
});
