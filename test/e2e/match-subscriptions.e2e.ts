import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import { discoverablePair, type PersonWithProfile } from "@pulse/testkit/fixtures";
import { liveListeners, untilListening } from "@pulse/testkit/live";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { WsTestClient } from "@pulse/testkit/ws-client";

const MATCH_CREATED_WITH_CURSOR = `subscription ($after: String) {
  matchCreated(after: $after) { id cursor user { id } }
}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe("matchCreated through the gateway", () => {
  it("reaches both people, each seeing the other with their profile", async () => {
    const { alice, bob } = await discoverablePair(stack);
    const aliceSocket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const bobSocket = await WsTestClient.connect(stack.gatewayUrl, bob.accessToken);
    const aliceMatches = aliceSocket.subscribe("OnMatchCreated");
    const bobMatches = bobSocket.subscribe("OnMatchCreated");
    // The upstream subscriptions are asynchronous; a like before they exist would go unheard.
    await eventually(async () => {
      const counts = await Promise.all(
        [alice, bob].map((person) => liveListeners(stack, "match-created", person.id)),
      );
      expect(counts.filter((count) => count > 0)).toHaveLength(2);
    });
    await alice.client.op("Swipe", { input: { targetUserId: bob.id, action: "LIKE" } });
    await bob.client.op("Swipe", { input: { targetUserId: alice.id, action: "LIKE" } });
    const [[forAlice], [forBob]] = await Promise.all([
      aliceMatches.results$(1),
      bobMatches.results$(1),
    ]);
    expect(forAlice).toEqual({
      data: {
        matchCreated: {
          id: expect.any(String),
          matchedAt: expect.any(String),
          user: { id: bob.id, profile: { displayName: "Bob", photos: [] } },
        },
      },
    });
    expect(forBob).toEqual({
      data: {
        matchCreated: {
          id: (forAlice!.data as { matchCreated: { id: string } }).matchCreated.id,
          matchedAt: expect.any(String),
          user: { id: alice.id, profile: { displayName: "Alice", photos: [] } },
        },
      },
    });
    await aliceSocket.close();
    await bobSocket.close();
  });

  it("gives each match a cursor that `after` resumes from, replaying what came meanwhile", async () => {
    const first = await discoverablePair(stack);
    const { alice } = first;
    const second = await discoverablePair(stack, first);
    const matchIdOf = async (bob: PersonWithProfile) => {
      await bob.client.op("Swipe", { input: { targetUserId: alice.id, action: "LIKE" } });
      const matched = await alice.client.op("Swipe", {
        input: { targetUserId: bob.id, action: "LIKE" },
      });
      return matched.data!.swipe.match.id as string;
    };
    const socket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const listening = socket.subscribe("", {}, MATCH_CREATED_WITH_CURSOR);
    await untilListening(stack, "match-created", alice.id);
    const firstId = await matchIdOf(first.bob);
    const [event] = await listening.results$(1);
    const { cursor } = (event!.data as { matchCreated: { id: string; cursor: string } })
      .matchCreated;
    listening.unsubscribe();

    // Away when the second match is made; back with the first one's cursor.
    const secondId = await matchIdOf(second.bob);
    // Both made long before Alice is back (beyond the clock margin), in the same order: only
    // `after` brings the second back.
    for (const [id, secondsAgo] of [
      [firstId, 20],
      [secondId, 10],
    ] as const) {
      await stack.prisma.match.update({
        where: { id },
        data: { matchedAt: new Date(Date.now() - secondsAgo * 1000) },
      });
    }
    const resumed = socket.subscribe("", { after: cursor }, MATCH_CREATED_WITH_CURSOR);
    const [replayed] = await resumed.results$(1);
    expect(replayed).toEqual({
      data: {
        matchCreated: { id: secondId, cursor: expect.any(String), user: { id: second.bob.id } },
      },
    });
    expect(firstId).not.toBe(secondId);
    // The same cursor pages `matches`: the first match is the one before the second.
    const page = await alice.client.query(
      `query ($after: String) { matches(first: 1, after: $after) { edges { node { id } } } }`,
      { after: (replayed!.data as { matchCreated: { cursor: string } }).matchCreated.cursor },
    );
    expect(page.data).toEqual({ matches: { edges: [{ node: { id: firstId } }] } });
    await socket.close();
  });
});
