import { placeOfItsOwn } from "@pulse/testkit/places";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import {
  PASSWORD,
  registerWithProfile,
  untilDiscoverable,
  type ProfileOptions,
} from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Person = Awaited<ReturnType<typeof registerWithProfile>>;

function errorOf(response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) {
  expect(response.errors, "expected an error").toHaveLength(1);
  return response.errors![0]!.extensions!;
}

/**
 * The contract's `Matches` without `Match.conversation`, which chat opens asynchronously after
 * the match (`chat.e2e.ts` runs the contract's own `Matches`).
 */
const MATCHES = `query Matches($first: Int, $after: String) {
  matches(first: $first, after: $after) {
    edges { cursor node { id matchedAt user { id profile { displayName } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const woman = (place: { latitude: number; longitude: number }): ProfileOptions => ({
  displayName: "Alice",
  location: place,
  preferences: { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["MALE"] },
});
const man = (place: { latitude: number; longitude: number }, km = 5): ProfileOptions => ({
  displayName: "Bob",
  gender: "MALE",
  interestedIn: ["FEMALE"],
  location: { latitude: place.latitude + km / 111.195, longitude: place.longitude },
  preferences: { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["FEMALE"] },
});

/** A woman and a man 5 km apart, each in the other's preferences, both in the read model. */
async function couple(): Promise<[Person, Person]> {
  const place = await placeOfItsOwn(stack.redis);
  const pair = await Promise.all([
    registerWithProfile(stack, woman(place)),
    registerWithProfile(stack, man(place)),
  ]);
  await untilDiscoverable(stack, ...pair);
  return pair;
}

async function like(from: Person, to: Person, action = "LIKE") {
  return from.client.op("Swipe", { input: { targetUserId: to.id, action } });
}

async function outboxEvents(type: string, matchId: string) {
  const events = await stack.prisma.discoveryOutboxEvent.findMany({
    where: { type, payload: { path: ["matchId"], equals: matchId } },
  });
  return events.map((event) => event.payload);
}

describe("Discover", () => {
  it("shows the people who fit mutually, with their profiles from profiles", async () => {
    const [alice, bob] = await couple();
    const response = await alice.client.op("Discover", { first: 50 });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      discover: [
        {
          user: {
            id: bob.id,
            profile: { displayName: "Bob", age: 30, bio: null, photos: [] },
          },
          distanceKm: expect.closeTo(5, 1),
          score: expect.any(Number),
        },
      ],
    });
  });

  it("requires signing in", async () => {
    expect(errorOf(await stack.client().op("Discover", { first: 5 })).code).toBe("UNAUTHENTICATED");
  });

  it("costs the same SQL statements for 5 and for 50 people, in discovery and profiles", async () => {
    const place = await placeOfItsOwn(stack.redis);
    const viewer = await registerWithProfile(stack, woman(place));
    const others = await Promise.all(
      Array.from({ length: 10 }, (_, i) => registerWithProfile(stack, man(place, i + 1))),
    );
    await untilDiscoverable(stack, viewer, ...others);
    const once = async (first: number) => {
      for (const counter of Object.values(stack.statements)) counter.reset();
      const response = await viewer.client.op("Discover", { first });
      expect(response.errors).toBeUndefined();
      expect(response.data!.discover).toHaveLength(Math.min(first, others.length));
      return [stack.statements.discovery!.count, stack.statements.profiles!.count];
    };
    // The relay and consumer share the pool and may add statements now and then; they can only
    // add, so the least of a few runs is the request's own cost.
    const statementsFor = async (first: number) => {
      const runs = [await once(first), await once(first), await once(first)];
      return {
        discovery: Math.min(...runs.map(([discovery]) => discovery!)),
        profiles: Math.min(...runs.map(([, profiles]) => profiles!)),
      };
    };
    await once(5); // the viewer's first discover also marks them active
    const forFive = await statementsFor(5);
    const forFifty = await statementsFor(50);
    expect(forFive.discovery).toBeLessThanOrEqual(4);
    expect(forFifty.discovery).toBe(forFive.discovery);
    // Profiles answers the cards from its cache or in one batched read, whatever the page size.
    // Which of the two depends on invalidations still arriving from the people just made, so
    // the test asks for at most one, not for the same number.
    expect(forFive.profiles).toBeLessThanOrEqual(1);
    expect(forFifty.profiles).toBeLessThanOrEqual(1);
  });
});

describe("Swipe and Matches", () => {
  it("makes a match when a like meets a like; each sees the other as the match's user", async () => {
    const [alice, bob] = await couple();
    expect((await like(alice, bob)).data).toEqual({ swipe: { isMatch: false, match: null } });
    const matched = await like(bob, alice, "SUPER_LIKE");
    expect(matched.data).toEqual({
      swipe: {
        isMatch: true,
        match: {
          id: expect.any(String),
          matchedAt: expect.any(String),
          user: { id: alice.id, profile: { displayName: "Alice" } },
        },
      },
    });
    const matchId = matched.data!.swipe.match.id as string;
    const [forAlice, forBob] = await Promise.all([
      alice.client.query(MATCHES, { first: 10 }),
      bob.client.query(MATCHES, { first: 10 }),
    ]);
    expect(forAlice.data!.matches.edges.map((edge: any) => edge.node)).toEqual([
      {
        id: matchId,
        matchedAt: expect.any(String),
        user: { id: bob.id, profile: { displayName: "Bob" } },
      },
    ]);
    expect(forBob.data!.matches.edges[0].node.user.id).toBe(alice.id);
    expect(await outboxEvents("match.created", matchId)).toEqual([
      { matchId, userIds: [alice.id, bob.id].sort(), matchedAt: expect.any(String) },
    ]);
    // Swiped people are not shown again.
    expect((await alice.client.op("Discover", { first: 50 })).data).toEqual({ discover: [] });
  });

  it("creates exactly one match when both like at the same instant", async () => {
    for (let round = 0; round < 3; round += 1) {
      const [alice, bob] = await couple();
      const results = await Promise.all([like(alice, bob), like(bob, alice)]);
      expect(results.map((result) => result.errors)).toEqual([undefined, undefined]);
      expect(results.some((result) => result.data!.swipe.isMatch)).toBe(true);
      const [userLow, userHigh] = [alice.id, bob.id].sort();
      expect(await stack.prisma.match.count({ where: { userLow, userHigh } })).toBe(1);
    }
  });

  it("is idempotent for the same action and refuses another with CONFLICT", async () => {
    const [alice, bob] = await couple();
    expect((await like(alice, bob, "PASS")).data).toEqual({
      swipe: { isMatch: false, match: null },
    });
    expect((await like(alice, bob, "PASS")).data).toEqual({
      swipe: { isMatch: false, match: null },
    });
    expect(errorOf(await like(alice, bob))).toMatchObject({
      code: "CONFLICT",
      field: "input.action",
    });
  });

  it("refuses swiping oneself and unknown people", async () => {
    const [alice] = await couple();
    expect(errorOf(await like(alice, alice))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.targetUserId",
    });
    const unknown = { id: "00000000-0000-4000-8000-000000000000" } as Person;
    expect(errorOf(await like(alice, unknown)).code).toBe("NOT_FOUND");
  });

  it("allows a free member one super like a day", async () => {
    const [alice, bob] = await couple();
    const [, carol] = await couple();
    expect((await like(bob, alice, "SUPER_LIKE")).errors).toBeUndefined();
    expect(errorOf(await like(bob, carol, "SUPER_LIKE"))).toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: expect.any(Number),
    });
  });

  it("pages matches newest first with `after`", async () => {
    const [alice] = await couple();
    const suitors = [(await couple())[1], (await couple())[1], (await couple())[1]];
    for (const suitor of suitors) {
      await like(suitor, alice);
      expect((await like(alice, suitor)).data!.swipe.isMatch).toBe(true);
    }
    const first = await alice.client.query(MATCHES, { first: 2 });
    const userIds = (page: any) => page.data.matches.edges.map((edge: any) => edge.node.user.id);
    expect(userIds(first)).toEqual([suitors[2]!.id, suitors[1]!.id]);
    expect(first.data!.matches.pageInfo.hasNextPage).toBe(true);
    const after = first.data!.matches.pageInfo.endCursor;
    const second = await alice.client.query(MATCHES, { first: 2, after });
    expect(userIds(second)).toEqual([suitors[0]!.id]);
    expect(second.data!.matches.pageInfo).toEqual({
      hasNextPage: false,
      endCursor: expect.any(String),
    });
  });
});

describe("Unmatch", () => {
  it("ends the match for both and publishes match.ended", async () => {
    const [alice, bob] = await couple();
    await like(alice, bob);
    const matchId = (await like(bob, alice)).data!.swipe.match.id as string;
    expect((await bob.client.op("Unmatch", { matchId })).data).toEqual({ unmatch: true });
    for (const person of [alice, bob]) {
      expect((await person.client.query(MATCHES, { first: 10 })).data!.matches.edges).toEqual([]);
    }
    expect(await outboxEvents("match.ended", matchId)).toMatchObject([{ reason: "UNMATCHED" }]);
    expect(errorOf(await alice.client.op("Unmatch", { matchId: "nope" })).code).toBe("NOT_FOUND");
  });
});

describe("LikesReceived", () => {
  it("is premium only", async () => {
    const [alice] = await couple();
    expect(errorOf(await alice.client.op("LikesReceived", { first: 10 })).code).toBe(
      "PAYMENT_REQUIRED",
    );
  });

  it("shows a premium member who liked them", async () => {
    const [alice, bob] = await couple();
    // Standing in for billing, which will feed the tier through its events.
    await stack.prisma.candidate.update({ where: { userId: alice.id }, data: { tier: "PREMIUM" } });
    await like(bob, alice, "SUPER_LIKE");
    expect((await alice.client.op("LikesReceived", { first: 10 })).data).toEqual({
      likesReceived: [
        {
          likedAt: expect.any(String),
          isSuperLike: true,
          user: { id: bob.id, profile: { displayName: "Bob" } },
        },
      ],
    });
  });
});

describe("likesReceivedConnection", () => {
  it("pages the same likes as likesReceived, as a Relay connection", async () => {
    const place = await placeOfItsOwn(stack.redis);
    const [alice, bob, bert] = await Promise.all([
      registerWithProfile(stack, woman(place)),
      registerWithProfile(stack, man(place)),
      registerWithProfile(stack, man(place, 7)),
    ]);
    await Promise.all([
      untilDiscoverable(stack, alice, bob),
      untilDiscoverable(stack, alice, bert),
    ]);
    await stack.prisma.candidate.update({ where: { userId: alice.id }, data: { tier: "PREMIUM" } });
    await like(bob, alice);
    await like(bert, alice, "SUPER_LIKE");
    const page = async (after: string | null) => {
      const response = await alice.client.query(
        `query ($after: String) {
          likesReceivedConnection(first: 1, after: $after) {
            edges { cursor node { isSuperLike user { id } } }
            pageInfo { hasNextPage endCursor }
          }
        }`,
        { after },
      );
      expect(response.errors).toBeUndefined();
      return response.data!.likesReceivedConnection;
    };
    const first = await page(null);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: second.edges[0].cursor });
    const list = (await alice.client.op("LikesReceived", { first: 10 })).data!.likesReceived;
    expect([...first.edges, ...second.edges].map((edge: any) => edge.node.user.id)).toEqual(
      list.map((liked: any) => liked.user.id),
    );
    expect(list.map((liked: any) => liked.user.id).sort()).toEqual([bob.id, bert.id].sort());

    const forged = await alice.client.query(
      `{ likesReceivedConnection(after: "${bob.id}") { edges { cursor } } }`,
    );
    expect(errorOf(forged)).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});

describe("blocks and deletions from other subgraphs", () => {
  it("a block hides both people from each other's discovery", async () => {
    const [alice, bob] = await couple();
    const shown = async (person: Person) =>
      (await person.client.op("Discover", { first: 50 })).data!.discover.map(
        (candidate: any) => candidate.user.id,
      );
    expect(await shown(alice)).toEqual([bob.id]);
    expect((await bob.client.op("BlockUser", { userId: alice.id })).errors).toBeUndefined();
    await eventually(async () => expect(await shown(alice)).toEqual([]));
    expect(await shown(bob)).toEqual([]);
    expect(errorOf(await like(alice, bob)).code).toBe("NOT_FOUND");
  });

  it("a block ends the pair's match", async () => {
    const [alice, bob] = await couple();
    await like(alice, bob);
    const matchId = (await like(bob, alice)).data!.swipe.match.id as string;
    expect((await alice.client.op("BlockUser", { userId: bob.id })).errors).toBeUndefined();
    await eventually(async () => {
      expect(await outboxEvents("match.ended", matchId)).toMatchObject([{ reason: "BLOCKED" }]);
    });
    expect((await bob.client.query(MATCHES, { first: 10 })).data!.matches.edges).toEqual([]);
  });

  it("a deleted account leaves discovery everywhere", async () => {
    const [alice, bob] = await couple();
    await like(alice, bob);
    const matchId = (await like(bob, alice)).data!.swipe.match.id as string;
    expect((await bob.client.op("DeleteAccount", { password: PASSWORD })).errors).toBeUndefined();
    await eventually(async () => {
      expect(await stack.prisma.candidate.count({ where: { userId: bob.id } })).toBe(0);
    });
    expect(await outboxEvents("match.ended", matchId)).toMatchObject([{ reason: "USER_DELETED" }]);
    expect((await alice.client.query(MATCHES, { first: 10 })).data!.matches.edges).toEqual([]);
    expect(errorOf(await like(alice, bob, "PASS")).code).toBe("NOT_FOUND");
  });
});
