import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import { discoverablePair } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { WsTestClient } from "@pulse/testkit/ws-client";

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
      const topics = [alice, bob].map(
        (person) => `${stack.redisPrefix}live:match-created:${person.id}`,
      );
      const counts = (await stack.redis.pubsub("NUMSUB", ...topics)) as (string | number)[];
      expect(counts.filter((value) => typeof value === "number" && value > 0)).toHaveLength(2);
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
});
