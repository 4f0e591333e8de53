import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import {
  matchedPair,
  newestMessageCursor,
  PASSWORD,
  registerUser,
  type MatchedPair,
  type PersonWithProfile,
} from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { WsTestClient } from "@pulse/testkit/ws-client";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

function errorOf(response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) {
  expect(response.errors, "expected an error").toHaveLength(1);
  return response.errors![0]!.extensions!;
}

function sendAs(
  person: PersonWithProfile,
  conversationId: string,
  body: string,
  clientMessageId: string = randomUUID(),
) {
  return person.client.op("SendMessage", { input: { conversationId, body, clientMessageId } });
}

/** Sends and expects success; returns the `sendMessage` answer. */
async function sent(person: PersonWithProfile, conversationId: string, body: string) {
  const response = await sendAs(person, conversationId, body);
  expect(response.errors).toBeUndefined();
  return response.data!.sendMessage as Record<string, any>;
}

/** `MessageFields` of a message as the contract selects it, sender profile from profiles. */
function messageFields(
  message: Record<string, any>,
  sender: PersonWithProfile,
  readAt: unknown = null,
) {
  return {
    id: message.id,
    clientMessageId: message.clientMessageId,
    body: message.body,
    sentAt: message.sentAt,
    readAt,
    sender: {
      id: sender.id,
      profile: { displayName: sender.profile.displayName, photos: [] },
    },
  };
}

/** The pair in `Conversation.participants` order (by id), as `Conversations` selects them. */
function participantsOf({ alice, bob }: MatchedPair) {
  return [alice, bob]
    .sort((x, y) => (x.id < y.id ? -1 : 1))
    .map((person) => ({ id: person.id, profile: { displayName: person.profile.displayName } }));
}

async function closedReason(conversationId: string): Promise<string | null> {
  const conversation = await stack.prisma.conversation.findUniqueOrThrow({
    where: { id: conversationId },
  });
  return conversation.closedReason;
}

describe("a new match", () => {
  it("opens a conversation, shown in Matches and Conversations", async () => {
    const pair = await matchedPair(stack);
    const { alice, bob, matchId, conversationId } = pair;
    const matches = await alice.client.op("Matches", { first: 10 });
    expect(matches.errors).toBeUndefined();
    expect(matches.data).toEqual({
      matches: {
        edges: [
          {
            cursor: expect.any(String),
            node: {
              id: matchId,
              matchedAt: expect.any(String),
              user: { id: bob.id, profile: { displayName: "Bob", photos: [] } },
              conversation: { id: conversationId, unreadCount: 0, lastMessage: null },
            },
          },
        ],
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
      },
    });
    const conversations = await bob.client.op("Conversations", { first: 10 });
    expect(conversations.errors).toBeUndefined();
    expect(conversations.data).toEqual({
      conversations: {
        edges: [
          {
            cursor: expect.any(String),
            node: {
              id: conversationId,
              unreadCount: 0,
              participants: participantsOf(pair),
              lastMessage: null,
            },
          },
        ],
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
      },
    });
  });
});

describe("SendMessage", () => {
  it("stores a message once per clientMessageId, with the sender's profile", async () => {
    const { alice, bob, conversationId } = await matchedPair(stack);
    const first = await sendAs(alice, conversationId, "  Hi Bob!  ", "client-1");
    expect(first.errors).toBeUndefined();
    expect(first.data).toEqual({
      sendMessage: {
        id: expect.any(String),
        clientMessageId: "client-1",
        body: "Hi Bob!",
        sentAt: expect.any(String),
        readAt: null,
        sender: { id: alice.id, profile: { displayName: "Alice", photos: [] } },
        conversation: { id: conversationId },
      },
    });
    const again = await sendAs(alice, conversationId, "Hi Bob!", "client-1");
    expect(again.data).toEqual(first.data);
    expect(errorOf(await sendAs(alice, conversationId, "Hello Bob", "client-1"))).toMatchObject({
      code: "CONFLICT",
      field: "input.clientMessageId",
    });
    expect(errorOf(await sendAs(bob, conversationId, "   "))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.body",
    });
    expect(errorOf(await sendAs(bob, conversationId, "x".repeat(2001)))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.body",
    });
    expect(await stack.prisma.message.count({ where: { conversationId } })).toBe(1);
  });

  it("is FORBIDDEN for someone else's conversation, NOT_FOUND for an unknown one", async () => {
    const { conversationId } = await matchedPair(stack);
    const stranger = await registerUser(stack);
    const asStranger = stranger as unknown as PersonWithProfile;
    expect(errorOf(await sendAs(asStranger, conversationId, "hi")).code).toBe("FORBIDDEN");
    expect(errorOf(await sendAs(asStranger, randomUUID(), "hi")).code).toBe("NOT_FOUND");
    const read = await stranger.client.op("ConversationMessages", { id: conversationId });
    expect(errorOf(read).code).toBe("FORBIDDEN");
    const unknown = await stranger.client.op("ConversationMessages", { id: randomUUID() });
    expect(errorOf(unknown).code).toBe("NOT_FOUND");
    const mark = await stranger.client.op("MarkConversationRead", { conversationId });
    expect(errorOf(mark).code).toBe("FORBIDDEN");
    expect(errorOf(await stack.client().op("Conversations", {})).code).toBe("UNAUTHENTICATED");
  });
});

describe("ConversationMessages and MarkConversationRead", () => {
  it("pages newest first, counts unread messages and shows when they were read", async () => {
    const pair = await matchedPair(stack);
    const { alice, bob, matchId, conversationId } = pair;
    const messages = [
      await sent(alice, conversationId, "one"),
      await sent(alice, conversationId, "two"),
      await sent(alice, conversationId, "three"),
    ];
    const page = await bob.client.op("ConversationMessages", { id: conversationId, first: 2 });
    expect(page.errors).toBeUndefined();
    expect(page.data).toEqual({
      conversation: {
        id: conversationId,
        match: { id: matchId },
        unreadCount: 3,
        messages: {
          edges: [messages[2], messages[1]].map((message) => ({
            cursor: expect.any(String),
            node: messageFields(message!, alice),
          })),
          pageInfo: {
            hasNextPage: true,
            endCursor: page.data!.conversation.messages.edges[1].cursor,
          },
        },
      },
    });
    const after = page.data!.conversation.messages.pageInfo.endCursor;
    const rest = await bob.client.op("ConversationMessages", { id: conversationId, after });
    expect(rest.data!.conversation.messages).toEqual({
      edges: [{ cursor: expect.any(String), node: messageFields(messages[0]!, alice) }],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });

    const marked = await bob.client.op("MarkConversationRead", { conversationId });
    expect(marked.data).toEqual({ markConversationRead: { id: conversationId, unreadCount: 0 } });
    expect((await bob.client.op("MarkConversationRead", { conversationId })).data).toEqual(
      marked.data,
    );

    const seenByAlice = await alice.client.op("Conversations", { first: 10 });
    const readAt = seenByAlice.data!.conversations.edges[0].node.lastMessage.readAt as string;
    expect(new Date(readAt).getTime()).toBeGreaterThanOrEqual(
      new Date(messages[2]!.sentAt).getTime(),
    );
    expect(seenByAlice.data).toEqual({
      conversations: {
        edges: [
          {
            cursor: expect.any(String),
            node: {
              id: conversationId,
              unreadCount: 0,
              participants: participantsOf(pair),
              lastMessage: messageFields(messages[2]!, alice, readAt),
            },
          },
        ],
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
      },
    });
    const matches = await alice.client.op("Matches", { first: 10 });
    expect(matches.data!.matches.edges[0].node.conversation).toEqual({
      id: conversationId,
      unreadCount: 0,
      lastMessage: { body: "three", sentAt: messages[2]!.sentAt },
    });
  });

  it("costs chat the same SQL statements for 1 and for 6 conversations", async () => {
    const first = await matchedPair(stack);
    const { alice } = first;
    for (let i = 0; i < 5; i += 1) {
      const pair = await matchedPair(stack, first);
      await sent(pair.bob, pair.conversationId, `hello ${i}`);
      await sent(alice, pair.conversationId, `hi ${i}`);
      const marked = await pair.bob.client.op("MarkConversationRead", {
        conversationId: pair.conversationId,
      });
      expect(marked.errors).toBeUndefined();
    }
    const once = async (size: number) => {
      stack.statements.chat!.reset();
      const response = await alice.client.op("Conversations", { first: size });
      expect(response.errors).toBeUndefined();
      expect(response.data!.conversations.edges).toHaveLength(size);
      return stack.statements.chat!.count;
    };
    // The relay and consumer share the pool and may add statements now and then; they can only
    // add, so the least of a few runs is the request's own cost.
    const statementsFor = async (size: number) =>
      Math.min(await once(size), await once(size), await once(size));
    const forOne = await statementsFor(1);
    // The page (2), unread counters, last messages, their readAt: chat's whole share.
    expect(forOne).toBeLessThanOrEqual(5);
    expect(await statementsFor(6)).toBe(forOne);
  });
});

describe("OnMessageAdded through the gateway", () => {
  it("replays after a cursor, then delivers live, to the conversation's people alone", async () => {
    const pair = await matchedPair(stack);
    const { alice, bob, conversationId } = pair;
    await sent(bob, conversationId, "seen before");
    const after = await newestMessageCursor(alice, conversationId);
    const socket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const strangerSocket = await WsTestClient.connect(
      stack.gatewayUrl,
      (await registerUser(stack)).accessToken,
    );
    // `after` makes the start race-free: whatever is sent from here on is replayed or live.
    const events = socket.subscribe("OnMessageAdded", { conversationId, after });
    const missed = await sent(bob, conversationId, "sent while subscribing");
    const refused = strangerSocket.subscribe("OnMessageAdded", { conversationId });
    const [refusal] = await refused.results$(1);
    expect(refusal!.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(await refused.end()).toEqual({});
    const [first] = await events.results$(1);
    expect(first).toEqual({
      data: {
        messageAdded: { ...messageFields(missed, bob), conversation: { id: conversationId } },
      },
    });
    const live = await sent(alice, conversationId, "live");
    const results = await events.results$(2);
    expect(results[1]).toEqual({
      data: {
        messageAdded: { ...messageFields(live, alice), conversation: { id: conversationId } },
      },
    });
    events.unsubscribe();
    await socket.close();
    await strangerSocket.close();
  });
});

describe("closing conversations", () => {
  async function expectGoneFor(pair: MatchedPair) {
    for (const person of [pair.alice, pair.bob]) {
      const list = await person.client.op("Conversations", { first: 10 });
      expect(list.data!.conversations.edges).toEqual([]);
      const read = await person.client.op("ConversationMessages", { id: pair.conversationId });
      expect(errorOf(read).code).toBe("NOT_FOUND");
      expect(errorOf(await sendAs(person, pair.conversationId, "hello?")).code).toBe("FORBIDDEN");
    }
  }

  it("Unmatch closes the conversation for both", async () => {
    const pair = await matchedPair(stack);
    await sent(pair.alice, pair.conversationId, "hi");
    const unmatched = await pair.bob.client.op("Unmatch", { matchId: pair.matchId });
    expect(unmatched.data).toEqual({ unmatch: true });
    await eventually(async () => expect(await closedReason(pair.conversationId)).toBe("UNMATCHED"));
    await expectGoneFor(pair);
  });

  it("a block closes the conversation for both", async () => {
    const pair = await matchedPair(stack);
    const blocked = await pair.bob.client.op("BlockUser", { userId: pair.alice.id });
    expect(blocked.errors).toBeUndefined();
    await eventually(async () => expect(await closedReason(pair.conversationId)).toBe("BLOCKED"));
    await expectGoneFor(pair);
  });

  it("an account deletion leaves the conversation to the other person, read-only", async () => {
    const pair = await matchedPair(stack);
    const { alice, bob, conversationId } = pair;
    const farewell = await sent(bob, conversationId, "bye");
    expect((await bob.client.op("DeleteAccount", { password: PASSWORD })).errors).toBeUndefined();
    await eventually(async () => {
      expect(await closedReason(conversationId)).toBe("USER_DELETED");
      expect(await stack.prisma.profile.count({ where: { userId: bob.id } })).toBe(0);
    });
    const fromDeleted = {
      ...messageFields(farewell, bob),
      sender: { id: bob.id, profile: null },
    };
    const list = await alice.client.op("Conversations", { first: 10 });
    expect(list.data).toEqual({
      conversations: {
        edges: [
          {
            cursor: expect.any(String),
            node: {
              id: conversationId,
              unreadCount: 1,
              participants: participantsOf(pair).map((person) =>
                person.id === bob.id ? { id: bob.id, profile: null } : person,
              ),
              lastMessage: fromDeleted,
            },
          },
        ],
        pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
      },
    });
    const read = await alice.client.op("ConversationMessages", { id: conversationId });
    expect(read.data!.conversation.messages.edges).toEqual([
      { cursor: expect.any(String), node: fromDeleted },
    ]);
    expect(errorOf(await sendAs(alice, conversationId, "hello?")).code).toBe("FORBIDDEN");
  });
});
