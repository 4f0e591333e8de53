import { randomBytes, randomUUID } from "node:crypto";
import {
  closeInfrastructure,
  connectInfrastructure,
  StatementCounter,
  subgraphConfigSchema,
  type Infrastructure,
} from "@pulse/platform/subgraph";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import {
  discoverablePair,
  registerUser,
  registerWithProfile,
  uniqueUsername,
  untilInDiscoveryReadModel,
  type PersonWithProfile,
} from "@pulse/testkit/fixtures";
import { withReplayPaused } from "@pulse/testkit/read-replica";
import { startStack, type Stack } from "@pulse/testkit/stack";

// ADR 0025: lag-tolerant reads go to the read replica at DATABASE_READ_URL, everything else to
// the primary. These tests pause the replica's replay, so what the primary commits meanwhile is
// on the primary only: a read that answers it came from the primary, one that misses it from the
// replica. They need a replica: `DATABASE_READ_URL=$(scripts/lib/local-pg-replica.sh)`.
const databaseUrl = inject("databaseUrl");
const readDatabaseUrl = inject("readDatabaseUrl");

/** Runs `test` while the run's read replica replays nothing. */
function whileReplicaPaused<Result>(test: () => Promise<Result>): Promise<Result> {
  return withReplayPaused(databaseUrl, readDatabaseUrl!, test);
}

/** A subgraph's connections, as `connectInfrastructure` makes them from its configuration. */
function infrastructure(
  variables: Record<string, string>,
  statementCounter?: StatementCounter,
): Infrastructure {
  const config = subgraphConfigSchema(0, {}).parse({
    LOG_LEVEL: "silent",
    DATABASE_URL: databaseUrl,
    REDIS_URL: inject("redisUrl"),
    GATEWAY_SECRET: randomBytes(32).toString("hex"),
    ...variables,
  });
  return connectInfrastructure("competitions", config, statementCounter && { statementCounter });
}

/** Gives `userId` a rating on the primary, as a finished competition would. */
async function rate(infra: Infrastructure, userId: string, rating: number): Promise<void> {
  await infra.prisma.rating.create({ data: { userId, rating } });
}

describe("without a read replica (no DATABASE_READ_URL)", () => {
  it("sends lag-tolerant reads to the primary, which answers a write at once", async () => {
    const infra = infrastructure({});
    try {
      expect(infra.reads).toBe(infra.prisma);
      const check = async () => {
        const userId = randomUUID();
        await rate(infra, userId, 1234);
        expect(await infra.reads.rating.findUnique({ where: { userId } })).toMatchObject({
          rating: 1234,
        });
      };
      // With a replica about, even one that replays nothing changes nothing.
      await (readDatabaseUrl ? whileReplicaPaused(check) : check());
    } finally {
      await closeInfrastructure(infra);
    }
  });
});

describe.runIf(readDatabaseUrl)("with a read replica (DATABASE_READ_URL)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it("reads lag-tolerant queries from the replica and the rest from the primary", async () => {
    const statements = new StatementCounter();
    const infra = infrastructure({ DATABASE_READ_URL: readDatabaseUrl! }, statements);
    try {
      expect(infra.reads).not.toBe(infra.prisma);
      await whileReplicaPaused(async () => {
        const userId = randomUUID();
        await rate(infra, userId, 1234);
        expect(await infra.prisma.rating.findUnique({ where: { userId } })).not.toBeNull();
        statements.reset();
        expect(await infra.reads.rating.findUnique({ where: { userId } })).toBeNull();
        // An N+1 is one wherever it runs: the replica's statements are counted too.
        expect(statements.count).toBeGreaterThan(0);
      });
    } finally {
      await closeInfrastructure(infra);
    }
  });

  it("lets nothing be written through the replica's pool", async () => {
    const infra = infrastructure({ DATABASE_READ_URL: readDatabaseUrl! });
    try {
      await expect(
        infra.reads.rating.create({ data: { userId: randomUUID(), rating: 1000 } }),
      ).rejects.toThrow(/read-only transaction/);
    } finally {
      await closeInfrastructure(infra);
    }
  });

  it("searchUsers lags; the person who changed their profile sees it at once", async () => {
    const [alice, bob] = await Promise.all([
      registerWithProfile(stack),
      registerWithProfile(stack),
    ]);
    const username = uniqueUsername("renamed");
    const search = async (viewer: PersonWithProfile) =>
      (await viewer.client.op("SearchUsers", { query: username })).data!.searchUsers;
    await whileReplicaPaused(async () => {
      const changed = await alice.client.op("UpsertProfile", {
        input: { ...withoutComputed(alice.profile), username },
      });
      expect(changed.errors).toBeUndefined();
      const mine = await alice.client.op("MyProfile");
      expect(mine.data!.me.profile.username).toBe(username);
      expect(await search(bob)).toEqual([]);
    });
    await eventually(async () => {
      expect((await search(bob)).map((user: { id: string }) => user.id)).toEqual([alice.id]);
    });
  });

  it("discover lags, but never shows someone the viewer just swiped", async () => {
    const { alice, bob, place } = await discoverablePair(stack);
    const discovered = async (viewer: PersonWithProfile) =>
      (await viewer.client.op("Discover", { first: 50 })).data!.discover.map(
        (candidate: { user: { id: string } }) => candidate.user.id,
      );
    expect(await discovered(alice)).toContain(bob.id);
    const carol = await whileReplicaPaused(async () => {
      const liked = await alice.client.op("Swipe", {
        input: { targetUserId: bob.id, action: "LIKE" },
      });
      expect(liked.errors).toBeUndefined();
      expect(await discovered(alice)).not.toContain(bob.id);
      // A newcomer who fits Bob, in discovery's read model on the primary only.
      const newcomer = await registerWithProfile(stack, {
        displayName: "Carol",
        location: { latitude: place.latitude + 1 / 111.195, longitude: place.longitude },
        preferences: { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["MALE"] },
      });
      await untilInDiscoveryReadModel(stack, newcomer);
      expect(await discovered(bob)).not.toContain(newcomer.id);
      return newcomer;
    });
    await eventually(async () => expect(await discovered(bob)).toContain(carol.id));
    expect(await discovered(alice)).not.toContain(bob.id);
  });

  it("the conversation list lags; a conversation's messages never do", async () => {
    const { alice, bob } = await discoverablePair(stack);
    const listed = async (viewer: PersonWithProfile) =>
      (await viewer.client.op("Conversations", { first: 100 })).data!.conversations.edges.map(
        (edge: { node: { id: string } }) => edge.node.id,
      );
    const conversationId = await whileReplicaPaused(async () => {
      const like = (from: PersonWithProfile, to: PersonWithProfile) =>
        from.client.op("Swipe", { input: { targetUserId: to.id, action: "LIKE" } });
      expect((await like(alice, bob)).errors).toBeUndefined();
      const matchId = (await like(bob, alice)).data!.swipe.match.id as string;
      const opened = await eventually(async () => {
        const found = await stack.prisma.conversation.findUnique({ where: { matchId } });
        expect(found).not.toBeNull();
        return found!.id;
      });
      const sent = await alice.client.op("SendMessage", {
        input: { conversationId: opened, body: "hi Bob", clientMessageId: randomUUID() },
      });
      expect(sent.errors).toBeUndefined();
      const read = await alice.client.op("ConversationMessages", { id: opened, first: 5 });
      expect(read.data!.conversation.messages.edges.map((e: any) => e.node.body)).toEqual([
        "hi Bob",
      ]);
      expect(await listed(alice)).not.toContain(opened);
      return opened;
    });
    await eventually(async () => expect(await listed(alice)).toContain(conversationId));
  });

  it("the rating ladder lags", async () => {
    const infra = infrastructure({});
    const userId = randomUUID();
    const person = (await registerUser(stack)).client;
    const ladder = async () =>
      (await person.op("RatingLeaderboard", { first: 100 })).data!.ratingLeaderboard.edges.map(
        (edge: { node: { user: { id: string } } }) => edge.node.user.id,
      );
    try {
      await whileReplicaPaused(async () => {
        await rate(infra, userId, 5000);
        expect(await ladder()).not.toContain(userId);
      });
      await eventually(async () => expect(await ladder()).toContain(userId));
    } finally {
      await closeInfrastructure(infra);
    }
  });
});

/** A profile as `UpsertProfile` answered it, as its input again. */
function withoutComputed(profile: Record<string, any>) {
  const { displayName, birthdate, gender, interestedIn, bio } = profile;
  return { displayName, birthdate, gender, interestedIn, bio };
}
