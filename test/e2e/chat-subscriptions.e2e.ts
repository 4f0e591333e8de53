import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { untilListening as untilListeningOn } from "@pulse/testkit/live";
import {
  matchedPair,
  newestMessageCursor,
  registerWithProfile,
  type MatchedPair,
} from "@pulse/testkit/fixtures";
import { storeBacklog } from "@pulse/chat/testing";
import { ApiClient } from "@pulse/testkit/api-client";
import { startGateway, startStack, type RunningGateway, type Stack } from "@pulse/testkit/stack";
import { WsTestClient, type TestSubscription } from "@pulse/testkit/ws-client";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Person = MatchedPair["alice"];

/** Waits until an upstream subscription listens on `userId`'s message topic. */
const untilListening = (userId: string) => untilListeningOn(stack, "message-added", userId);

/**
 * Alice's socket, subscribed to her conversation's messages (after the cursor `after`, if given)
 * and listening upstream.
 */
async function aliceListening(pair: MatchedPair, after?: string) {
  const socket = await WsTestClient.connect(stack.gatewayUrl, pair.alice.accessToken);
  const subscription = socket.subscribe("OnMessageAdded", {
    conversationId: pair.conversationId,
    ...(after ? { after } : {}),
  });
  await untilListening(pair.alice.id);
  return { socket, subscription };
}

async function send(from: Person, conversationId: string, body: string) {
  const response = await from.client.op("SendMessage", {
    input: { conversationId, body, clientMessageId: randomUUID() },
  });
  expect(response.errors).toBeUndefined();
  return response.data!.sendMessage as { id: string };
}

/** The gateway's counter `name` for subgraph profiles so far, by outcome. */
async function profilesCounts<Outcome extends string>(
  name: string,
  outcomes: Outcome[],
): Promise<Record<Outcome, number>> {
  const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
  const count = (outcome: string) => {
    const line = metrics
      .split("\n")
      .find(
        (candidate) =>
          candidate.startsWith(`${name}{`) &&
          candidate.includes('subgraph="profiles"') &&
          candidate.includes(`outcome="${outcome}"`),
      );
    return line ? Number(line.split(" ").at(-1)) : 0;
  };
  return Object.fromEntries(outcomes.map((outcome) => [outcome, count(outcome)])) as Record<
    Outcome,
    number
  >;
}

/** The gateway's fetches to profiles for subscription events so far: sent, and shared answers. */
const profileFetches = () =>
  profilesCounts("gateway_subscription_entity_fetches_total", ["sent", "shared"]);

const bodiesOf = (subscription: TestSubscription) =>
  subscription.results.map(
    (result) => (result.data as { messageAdded: { body: string } }).messageAdded.body,
  );

describe("messageAdded through the gateway", () => {
  it("delivers each new message to both people with the sender's profile from profiles", async () => {
    const { alice, bob, conversationId } = await matchedPair(stack);
    const aliceSocket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const bobSocket = await WsTestClient.connect(stack.gatewayUrl, bob.accessToken);
    const forAlice = aliceSocket.subscribe("OnMessageAdded", {});
    const forBob = bobSocket.subscribe("OnMessageAdded", { conversationId });
    await Promise.all([untilListening(alice.id), untilListening(bob.id)]);

    const sent = await send(bob, conversationId, "  Hi Alice!  ");
    const [[toAlice], [toBob]] = await Promise.all([forAlice.results$(1), forBob.results$(1)]);
    expect(toAlice).toEqual({
      data: {
        messageAdded: {
          id: sent.id,
          clientMessageId: expect.any(String),
          body: "Hi Alice!",
          sentAt: expect.any(String),
          readAt: null,
          sender: { id: bob.id, profile: { displayName: "Bob", photos: [] } },
          conversation: { id: conversationId },
        },
      },
    });
    expect(toBob).toEqual(toAlice);
    await aliceSocket.close();
    await bobSocket.close();
  });

  it("asks profiles for the sender's profile once however many people the message reaches", async () => {
    const { alice, bob, conversationId } = await matchedPair(stack);
    const sockets = await Promise.all(
      [alice, bob].map((person) => WsTestClient.connect(stack.gatewayUrl, person.accessToken)),
    );
    const subscriptions = sockets.map((socket) =>
      socket.subscribe("OnMessageAdded", { conversationId }),
    );
    await Promise.all([untilListening(alice.id), untilListening(bob.id)]);
    const before = await profileFetches();

    await send(bob, conversationId, "to both of us");
    const received = await Promise.all(subscriptions.map(async (s) => (await s.results$(1))[0]));
    for (const result of received) {
      expect(result).toMatchObject({
        data: { messageAdded: { sender: { id: bob.id, profile: { displayName: "Bob" } } } },
      });
    }
    const after = await profileFetches();
    // The mutation fetches Bob's card too: whichever of it and the first event asks first, the
    // others take its answer.
    const sent = after.sent - before.sent;
    expect(sent).toBeLessThanOrEqual(1);
    expect(sent + after.shared - before.shared).toBe(2);
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it("answers events with the sender's profile a query or mutation just fetched", async () => {
    const pair = await matchedPair(stack);
    const { bob, conversationId } = pair;
    // Bob's card, fetched (and kept, as profiles declares it public) by a mutation alone.
    await send(bob, conversationId, "before anyone listens");
    // Alice has read it: sent just before she subscribes, it would come again without `after`.
    const read = await newestMessageCursor(pair.alice, conversationId);
    const { socket, subscription } = await aliceListening(pair, read);
    const before = await profileFetches();

    await send(bob, conversationId, "while Alice listens");
    const [result] = await subscription.results$(1);
    expect(result).toMatchObject({
      data: { messageAdded: { sender: { id: bob.id, profile: { displayName: "Bob" } } } },
    });
    const after = await profileFetches();
    expect({ sent: after.sent - before.sent, shared: after.shared - before.shared }).toEqual({
      sent: 0,
      shared: 1,
    });
    await socket.close();
  });

  it("resolves the sender's profile for a subscription older than a request's identity", async () => {
    const pair = await matchedPair(stack);
    const { bob, conversationId } = pair;
    const { socket, subscription } = await aliceListening(pair);
    // Five minutes on (the access token holds 15): a request's own identity lasts one.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 5 * 60_000);
      const before = await profileFetches();
      // A mutation that asks for no profile: the event fetches it with Alice's identity alone.
      const sent = await bob.client.query(
        `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`,
        { input: { conversationId, body: "later", clientMessageId: randomUUID() } },
      );
      expect(sent.errors).toBeUndefined();
      const [result] = await subscription.results$(1);
      expect(result!.errors).toBeUndefined();
      expect(result!.data).toMatchObject({
        messageAdded: { sender: { id: bob.id, profile: { displayName: "Bob" } } },
      });
      expect((await profileFetches()).sent - before.sent).toBe(1);
    } finally {
      vi.useRealTimers();
    }
    await socket.close();
  });

  it("tells a third person subscribing to someone else's conversation no and gives them nothing", async () => {
    const { alice, bob, conversationId } = await matchedPair(stack);
    const carol = await registerWithProfile(stack, { displayName: "Carol" });
    const carolSocket = await WsTestClient.connect(stack.gatewayUrl, carol.accessToken);
    const theirs = carolSocket.subscribe("OnMessageAdded", { conversationId });
    const [refused] = await theirs.results$(1);
    expect(refused!.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(refused!.data ?? null).toBeNull();
    expect(await theirs.end()).toEqual({});

    // Subscribed to all of her own conversations, she still hears nothing of theirs.
    const hers = carolSocket.subscribe("OnMessageAdded", {});
    const aliceSocket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const forAlice = aliceSocket.subscribe("OnMessageAdded", {});
    await Promise.all([untilListening(carol.id), untilListening(alice.id)]);
    await send(bob, conversationId, "only for Alice");
    await forAlice.results$(1);
    expect(hers.results).toEqual([]);
    await carolSocket.close();
    await aliceSocket.close();
  });

  it("replays with `after` then continues live, with no gap and no duplicate", async () => {
    const pair = await matchedPair(stack);
    const { alice, bob, conversationId } = pair;
    let { socket, subscription } = await aliceListening(pair);
    await send(bob, conversationId, "one");
    await send(bob, conversationId, "two");
    await subscription.results$(2);
    await socket.close();

    // While Alice is away.
    await send(bob, conversationId, "three");
    await send(bob, conversationId, "four");

    const page = await alice.client.op("ConversationMessages", { id: conversationId, first: 10 });
    const edges = page.data!.conversation.messages.edges as {
      cursor: string;
      node: { body: string };
    }[];
    const lastSeen = edges.find((edge) => edge.node.body === "two")!.cursor;
    socket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    subscription = socket.subscribe("OnMessageAdded", { conversationId, after: lastSeen });
    await subscription.results$(2);
    await untilListening(alice.id);
    await send(bob, conversationId, "five");
    await subscription.results$(3);
    expect(bodiesOf(subscription)).toEqual(["three", "four", "five"]);
    expect(subscription.results[0]!.data).toMatchObject({
      messageAdded: { sender: { id: bob.id, profile: { displayName: "Bob" } } },
    });
    await socket.close();
  });
});

describe("a long replay", () => {
  it("delivers every message after `after`, however many, then goes on live", async () => {
    const pair = await matchedPair(stack);
    const { alice, bob, conversationId } = pair;
    await send(bob, conversationId, "seen");
    const seen = await newestMessageCursor(alice, conversationId);
    const count = 1200;
    await storeBacklog(stack.prisma, conversationId, bob.id, count);
    const socket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const subscription = socket.subscribe("OnMessageAdded", { conversationId, after: seen });
    await subscription.results$(count);
    await untilListening(alice.id);
    await send(bob, conversationId, "live");
    await subscription.results$(count + 1);
    expect(bodiesOf(subscription)).toEqual([
      ...Array.from({ length: count }, (_, index) => `backlog ${index + 1}`),
      "live",
    ]);
    expect(subscription.ended).toBeNull();
    await socket.close();
  });
});

describe("two gateways in front of two chat replicas", () => {
  let secondGateway: RunningGateway;
  let secondChat: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    secondChat = await stack.startReplica("chat");
    secondGateway = await startGateway(stack, { SUBGRAPH_CHAT_URL: `${secondChat.url}/graphql` });
  });
  afterAll(async () => {
    await secondGateway?.close();
    await secondChat?.close();
  });

  it("delivers a message sent through gateway A to its subscribers on gateway B, profile resolved", async () => {
    const { alice, bob, conversationId } = await matchedPair(stack);
    // Alice listens on gateway B, whose chat is the second replica.
    const aliceSocket = await WsTestClient.connect(secondGateway.url, alice.accessToken);
    const forAlice = aliceSocket.subscribe("OnMessageAdded", {});
    const bobSocket = await WsTestClient.connect(stack.gatewayUrl, bob.accessToken);
    const forBob = bobSocket.subscribe("OnMessageAdded", {});
    await Promise.all([untilListening(alice.id), untilListening(bob.id)]);

    // Bob sends through gateway A, whose chat is the first replica.
    const sent = await send(bob, conversationId, "across replicas");
    const [[toAlice], [toBob]] = await Promise.all([forAlice.results$(1), forBob.results$(1)]);
    expect(toAlice!.data).toMatchObject({
      messageAdded: {
        id: sent.id,
        body: "across replicas",
        sender: { id: bob.id, profile: { displayName: "Bob" } },
        conversation: { id: conversationId },
      },
    });
    expect(toBob).toEqual(toAlice);
    await aliceSocket.close();
    await bobSocket.close();
  });

  it("resumes from when Alice subscribed if chat restarts before her first message", async () => {
    const pair = await matchedPair(stack);
    const { alice, bob, conversationId } = pair;
    const { socket, subscription } = await aliceListening(pair);
    await stack.stopSubgraph("chat");
    try {
      // Bob sends through gateway B, whose chat is the second replica; Alice has no position yet.
      const bobOnB = new ApiClient(`${secondGateway.url}/graphql`, bob.accessToken);
      const sent = await bobOnB.op("SendMessage", {
        input: { conversationId, body: "while chat restarted", clientMessageId: randomUUID() },
      });
      expect(sent.errors).toBeUndefined();
    } finally {
      await stack.startSubgraph("chat");
    }
    await untilListening(alice.id);
    await send(bob, conversationId, "after the restart");
    // Delivered in commit order: once this one is in, any before it is too.
    await expect.poll(() => bodiesOf(subscription).at(-1)).toBe("after the restart");
    expect(bodiesOf(subscription)).toEqual(["while chat restarted", "after the restart"]);
    await socket.close();
  });

  it("resumes after its chat replica restarts: what was sent meanwhile arrives, nothing twice", async () => {
    const pair = await matchedPair(stack);
    const { alice, bob, conversationId } = pair;
    await send(bob, conversationId, "seen before subscribing");
    const seen = await newestMessageCursor(alice, conversationId);
    await send(bob, conversationId, "one");
    // Alice listens on gateway A, whose chat is the stack's own replica, replaying after `seen`.
    const socket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const subscription = socket.subscribe("OnMessageAdded", { conversationId, after: seen });
    await subscription.results$(1);
    await untilListening(alice.id);
    await send(bob, conversationId, "two");
    await subscription.results$(2);

    await stack.stopSubgraph("chat");
    try {
      // Bob goes on through gateway B, whose chat is the second replica.
      const bobOnB = new ApiClient(`${secondGateway.url}/graphql`, bob.accessToken);
      const sent = await bobOnB.op("SendMessage", {
        input: { conversationId, body: "three", clientMessageId: randomUUID() },
      });
      expect(sent.errors).toBeUndefined();
    } finally {
      await stack.startSubgraph("chat");
    }
    await subscription.results$(3);
    await untilListening(alice.id);
    await send(bob, conversationId, "four");
    await subscription.results$(4);
    // Without the resume, gateway A re-subscribed with Alice's `after`: "one" and "two" came twice.
    expect(bodiesOf(subscription)).toEqual(["one", "two", "three", "four"]);
    // The positions are between the gateway and chat.
    expect(subscription.results.filter((result) => result.extensions)).toEqual([]);
    expect(subscription.results[2]!.data).toMatchObject({
      messageAdded: { body: "three", sender: { id: bob.id, profile: { displayName: "Bob" } } },
    });
    expect(subscription.ended).toBeNull();
    await socket.close();
  });
});
