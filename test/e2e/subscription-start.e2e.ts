import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUBSCRIBED_AT_MARGIN_MS } from "@pulse/platform/subgraph";
import { untilListening } from "@pulse/testkit/live";
import {
  discoverablePair,
  matchedPair,
  type MatchedPair,
  type PersonWithProfile,
} from "@pulse/testkit/fixtures";
import { startStack, withGateway, type Stack } from "@pulse/testkit/stack";
import { startUpstreamHold, type UpstreamHold } from "@pulse/testkit/upstream-hold";
import { WsTestClient, type TestSubscription } from "@pulse/testkit/ws-client";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** Runs `test` on a gateway of its own whose hop to subgraph `name` goes through a hold. */
async function withHeldUpstream(
  name: string,
  test: (gatewayUrl: string, hold: UpstreamHold) => Promise<void>,
): Promise<void> {
  const hold = await startUpstreamHold(stack.urls[name]!);
  try {
    await withGateway(
      stack,
      { [`SUBGRAPH_${name.toUpperCase()}_URL`]: `${hold.url}/graphql` },
      (gateway) => test(gateway.url, hold),
    );
  } finally {
    await hold.close();
  }
}

async function send(from: PersonWithProfile, conversationId: string, body: string) {
  const response = await from.client.op("SendMessage", {
    input: { conversationId, body, clientMessageId: randomUUID() },
  });
  expect(response.errors).toBeUndefined();
}

const bodiesOf = (subscription: TestSubscription) =>
  subscription.results.map(
    (result) => (result.data as { messageAdded: { body: string } }).messageAdded.body,
  );

/**
 * Once the subscription listens, sends `last` and waits for it: every message before it has
 * then arrived too, since a subscription delivers in commit order.
 */
async function untilLastArrives(pair: MatchedPair, subscription: TestSubscription, last: string) {
  await untilListening(stack, "message-added", pair.alice.id);
  await send(pair.bob, pair.conversationId, last);
  await expect.poll(() => bodiesOf(subscription).at(-1)).toBe(last);
}

/** Alice and Bob like each other; the id of their match. */
async function match(alice: PersonWithProfile, bob: PersonWithProfile): Promise<string> {
  const like = (from: PersonWithProfile, to: PersonWithProfile) =>
    from.client.op("Swipe", { input: { targetUserId: to.id, action: "LIKE" } });
  expect((await like(alice, bob)).errors).toBeUndefined();
  const matched = await like(bob, alice);
  expect(matched.errors).toBeUndefined();
  return matched.data!.swipe.match.id as string;
}

const matchIdsOf = (subscription: TestSubscription) =>
  subscription.results.map(
    (result) => (result.data as { matchCreated: { id: string } }).matchCreated.id,
  );

describe("a subscription started without `after` while its upstream start is held", () => {
  it("delivers a message committed while the upstream socket was still connecting", async () => {
    const pair = await matchedPair(stack);
    // Sent well before Alice subscribes (beyond the clock margin): not hers to hear.
    await send(pair.bob, pair.conversationId, "before Alice subscribed");
    await stack.prisma.message.updateMany({
      where: { conversationId: pair.conversationId },
      data: { sentAt: new Date(Date.now() - 10 * SUBSCRIBED_AT_MARGIN_MS) },
    });
    await withHeldUpstream("chat", async (gatewayUrl, hold) => {
      const socket = await WsTestClient.connect(gatewayUrl, pair.alice.accessToken);
      hold.hold();
      const subscription = socket.subscribe("OnMessageAdded", {
        conversationId: pair.conversationId,
      });
      // The gateway received the subscribe: it is opening its socket to chat, which waits.
      await hold.untilHolding();
      await send(pair.bob, pair.conversationId, "while the upstream was held");
      hold.release();

      await untilLastArrives(pair, subscription, "after the release");
      expect(bodiesOf(subscription)).toEqual(["while the upstream was held", "after the release"]);
      expect(subscription.results[0]!.data).toMatchObject({
        messageAdded: {
          sender: { id: pair.bob.id, profile: { displayName: "Bob" } },
          conversation: { id: pair.conversationId },
        },
      });
      await socket.close();
    });
  });

  it("delivers a message committed while the subscribe frame was on its way to chat", async () => {
    const pair = await matchedPair(stack);
    await withHeldUpstream("chat", async (gatewayUrl, hold) => {
      // Bob's subscription opens the gateway's socket to chat, so only Alice's frame is held.
      const bobSocket = await WsTestClient.connect(gatewayUrl, pair.bob.accessToken);
      bobSocket.subscribe("OnMessageAdded", {});
      await untilListening(stack, "message-added", pair.bob.id);
      const socket = await WsTestClient.connect(gatewayUrl, pair.alice.accessToken);
      hold.hold();
      const subscription = socket.subscribe("OnMessageAdded", {});
      await hold.untilHolding();
      await send(pair.bob, pair.conversationId, "while the frame was held");
      hold.release();

      await untilLastArrives(pair, subscription, "after the release");
      expect(bodiesOf(subscription)).toEqual(["while the frame was held", "after the release"]);
      await Promise.all([socket.close(), bobSocket.close()]);
    });
  });

  it("delivers a match made while the upstream socket was still connecting", async () => {
    const pair = await discoverablePair(stack);
    const { alice } = pair;
    await withHeldUpstream("discovery", async (gatewayUrl, hold) => {
      const socket = await WsTestClient.connect(gatewayUrl, alice.accessToken);
      hold.hold();
      const subscription = socket.subscribe("OnMatchCreated");
      await hold.untilHolding();
      const heldMatch = await match(alice, pair.bob);
      hold.release();

      // Then one more match, once the subscription listens: the held one must come first.
      const later = await discoverablePair(stack, pair);
      await untilListening(stack, "match-created", alice.id);
      const laterMatch = await match(alice, later.bob);
      await expect.poll(() => matchIdsOf(subscription).at(-1)).toBe(laterMatch);
      expect(matchIdsOf(subscription)).toEqual([heldMatch, laterMatch]);
      expect(subscription.results[0]).toEqual({
        data: {
          matchCreated: {
            id: heldMatch,
            matchedAt: expect.any(String),
            user: { id: pair.bob.id, profile: { displayName: "Bob", photos: [] } },
          },
        },
      });
      await socket.close();
    });
  });
});
