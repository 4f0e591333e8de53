import { randomUUID } from "node:crypto";
import type { Message as MessageRow } from "@pulse/db";
import { createLogger, type Viewer } from "@pulse/platform/server";
import { StreamResume, SUBSCRIBED_AT_MARGIN_MS, type LivePubSub } from "@pulse/platform/subgraph";
import { parse, subscribe, type ExecutionResult, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import { createChatContext } from "../context.ts";
import { buildChatSchema } from "../schema.ts";
import {
  newViewer,
  openConversation,
  send,
  startChatHarness,
  type ChatHarness,
} from "../testing/chat-harness.ts";
import { messageAddedTopic, type LiveMessage } from "./message-added.topic.ts";
import { messageCursor } from "./message.cursor.ts";
import { MessageFeed } from "./message-feed.service.ts";
import { MessageService } from "./message.service.ts";

let harness: ChatHarness;
let schema: GraphQLSchema;
beforeAll(async () => {
  harness = startChatHarness();
  schema = await buildChatSchema();
});
afterAll(() => harness?.close());

const MESSAGE_ADDED = parse(`subscription ($conversationId: ID, $after: String) {
  messageAdded(conversationId: $conversationId, after: $after) {
    id body cursor readAt sender { id } conversation { id }
  }
}`);

type Events = AsyncIterableIterator<ExecutionResult>;

function subscribeAs(
  viewer: Viewer | null,
  variables: { conversationId?: string; after?: string } = {},
) {
  return subscribe({
    schema,
    document: MESSAGE_ADDED,
    variableValues: variables,
    contextValue: harness.context(viewer),
  });
}

/** A context whose replays read `replayPageSize` messages per statement. */
function pagedContext(viewer: Viewer, replayPageSize: number) {
  const { prisma, conversations, live } = harness;
  return createChatContext(
    { viewer, clientIp: "127.0.0.1", requestId: randomUUID() },
    { ...harness, feed: new MessageFeed({ prisma, conversations, live, replayPageSize }) },
    harness.limits,
  );
}

/** Subscribes, expecting success; with `replayPageSize`, replays read pages that small. */
async function feedOf(
  viewer: Viewer,
  variables: { conversationId?: string; after?: string } = {},
  replayPageSize?: number,
) {
  const result = await (replayPageSize
    ? subscribe({
        schema,
        document: MESSAGE_ADDED,
        variableValues: variables,
        contextValue: pagedContext(viewer, replayPageSize),
      })
    : subscribeAs(viewer, variables));
  if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result.errors));
  return result as Events;
}

/** The error codes a failed subscription answered with. */
async function errorCodes(viewer: Viewer | null, variables: Record<string, string>) {
  const result = await subscribeAs(viewer, variables);
  if (Symbol.asyncIterator in result) throw new Error("expected the subscription to fail");
  return (result as ExecutionResult).errors!.map((error) => error.extensions.code);
}

/** The ids of the next `count` messages of a feed. */
async function nextIds(feed: Events, count: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const result = await feed.next();
    if (result.done) throw new Error("feed ended");
    expect(result.value.errors).toBeUndefined();
    ids.push((result.value.data as { messageAdded: { id: string } }).messageAdded.id);
  }
  return ids;
}

const ids = (messages: MessageRow[]) => messages.map((message) => message.id);

/**
 * Sends whose live copies are held back, then published in the order a test chooses, as
 * replicas racing after their commits may publish them.
 */
function heldBackSender() {
  const held: { topic: string; payload: LiveMessage }[] = [];
  const holdingBack = {
    publish: async (topic: string, payload: LiveMessage) => void held.push({ topic, payload }),
  };
  const messages = new MessageService({
    prisma: harness.prisma,
    conversations: harness.conversations,
    live: holdingBack as unknown as LivePubSub,
    logger: createLogger("chat", "silent"),
  });
  return {
    async send(sender: Viewer, conversationId: string, body: string): Promise<MessageRow> {
      const request = { conversationId, body, clientMessageId: randomUUID() };
      return (await messages.send(sender, request)).message;
    },
    /** Publishes the held live copies of `sent` to `userId`, in this order. */
    async release(userId: string, ...sent: MessageRow[]): Promise<void> {
      const topic = messageAddedTopic(userId);
      for (const message of sent) {
        const copy = held.find((entry) => entry.topic === topic && entry.payload.id === message.id);
        if (!copy) throw new Error(`no live copy of ${message.id} for ${userId}`);
        await harness.live.publish(topic, copy.payload);
      }
    },
  };
}

/** Alice in two conversations (with `first.b`, and with Carol in `second`), and a message she has seen in the first. */
async function twoConversationsSeenUpTo() {
  const first = await openConversation(harness);
  const { a } = first;
  const carol = newViewer();
  const matchId = randomUUID();
  await harness.deliver("match.created", {
    matchId,
    userIds: [a.id, carol.id],
    matchedAt: new Date().toISOString(),
  });
  const second = await harness.prisma.conversation.findUniqueOrThrow({ where: { matchId } });
  const seen = await send(harness, first.b, first.conversation.id, "seen");
  return { first, a, carol, second, seen };
}

describe("messageAdded", () => {
  it("requires signing in, and may only follow a conversation the viewer can read", async () => {
    const { conversation, matchId, a, b } = await openConversation(harness);
    expect(await errorCodes(null, {})).toEqual(["UNAUTHENTICATED"]);
    expect(await errorCodes(newViewer(), { conversationId: conversation.id })).toEqual([
      "FORBIDDEN",
    ]);
    expect(await errorCodes(a, { conversationId: randomUUID() })).toEqual(["NOT_FOUND"]);
    expect(await errorCodes(a, { after: "bogus" })).toEqual(["BAD_USER_INPUT"]);
    const theirs = await send(harness, b, conversation.id, "not for strangers");
    expect(await errorCodes(newViewer(), { after: messageCursor(theirs) })).toEqual([
      "BAD_USER_INPUT",
    ]);
    await harness.deliver("match.ended", {
      matchId,
      userIds: [a.id, b.id],
      endedAt: new Date().toISOString(),
      reason: "UNMATCHED",
    });
    expect(await errorCodes(a, { conversationId: conversation.id })).toEqual(["NOT_FOUND"]);
  });

  it("delivers each new message to its two people alone, with its fields", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const stranger = await openConversation(harness);
    const feeds = await Promise.all([a, b, stranger.a].map((viewer) => feedOf(viewer)));
    const message = await send(harness, a, conversation.id, "hello");
    for (const feed of feeds.slice(0, 2)) {
      expect(await feed.next()).toEqual({
        done: false,
        value: {
          data: {
            messageAdded: {
              id: message.id,
              body: "hello",
              cursor: messageCursor(message),
              readAt: null,
              sender: { id: a.id },
              conversation: { id: conversation.id },
            },
          },
        },
      });
    }
    // The stranger's next message is from their own conversation, not the one above.
    const own = await send(harness, stranger.b, stranger.conversation.id, "mine");
    expect(await nextIds(feeds[2]!, 1)).toEqual([own.id]);
    await Promise.all(feeds.map((feed) => feed.return!()));
  });

  it("resolves a new message without a query: its conversation travels with it", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const feed = await feedOf(b);
    const message = await send(harness, a, conversation.id, "no query");
    // graphql-js resolves an event's fields when it is pulled.
    const before = harness.statements.count;
    expect((await feed.next()).value).toMatchObject({
      data: {
        messageAdded: { id: message.id, readAt: null, conversation: { id: conversation.id } },
      },
    });
    expect(harness.statements.count - before).toBe(0);
    await feed.return!();
  });

  it("keeps nothing of an event in the subscription's context once it is delivered", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const context = harness.context(b);
    const feed = (await subscribe({
      schema,
      document: MESSAGE_ADDED,
      contextValue: context,
    })) as Events;
    await send(harness, a, conversation.id, "gone");
    expect((await feed.next()).value).toMatchObject({
      data: { messageAdded: { readAt: null, conversation: { id: conversation.id } } },
    });
    // The context lives as long as the subscription: a loader it made would hold the event's
    // rows until the next event, in every subscription chat holds.
    expect(Object.keys(context.loaders)).toEqual([]);
    await feed.return!();
  });

  it("resolves each event afresh, though the subscription's context lives on", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const result = await subscribe({
      schema,
      document: parse(`subscription { messageAdded { conversation { unreadCount } } }`),
      contextValue: harness.context(a),
    });
    const feed = result as Events;
    const unread = async () =>
      ((await feed.next()).value as ExecutionResult<{ messageAdded: any }>).data!.messageAdded
        .conversation.unreadCount;
    await send(harness, b, conversation.id, "one");
    expect(await unread()).toBe(1);
    await send(harness, b, conversation.id, "two");
    expect(await unread()).toBe(2);
    await feed.return!();
  });

  it("with conversationId, delivers that conversation's messages only", async () => {
    const { first, a, carol: other, second, seen: last } = await twoConversationsSeenUpTo();
    // `after` makes it wait until the feed is live, so nothing sent next can be missed.
    const feed = await feedOf(a, {
      conversationId: first.conversation.id,
      after: messageCursor(last),
    });
    await send(harness, other, second.id, "elsewhere");
    const here = await send(harness, first.b, first.conversation.id, "here");
    expect(await nextIds(feed, 1)).toEqual([here.id]);
    await feed.return!();
  });

  it("replays the messages after `after`, then continues live, with no gap and no duplicate", async () => {
    for (let round = 0; round < 3; round += 1) {
      const { conversation, a, b } = await openConversation(harness);
      const earlier: MessageRow[] = [];
      for (let i = 0; i < 3; i += 1) earlier.push(await send(harness, b, conversation.id, `e${i}`));
      // Messages keep arriving while the subscription starts and replays.
      const sending = (async () => {
        const sent: MessageRow[] = [];
        for (let i = 0; i < 10; i += 1) sent.push(await send(harness, b, conversation.id, `l${i}`));
        return sent;
      })();
      const feed = await feedOf(a, {
        conversationId: conversation.id,
        after: messageCursor(earlier[0]!),
      });
      const during = await sending;
      const expected = [...ids(earlier.slice(1)), ...ids(during)];
      expect(await nextIds(feed, expected.length)).toEqual(expected);
      const sentinel = await send(harness, a, conversation.id, "sentinel");
      expect(await nextIds(feed, 1)).toEqual([sentinel.id]);
      await feed.return!();
    }
  });

  it("without conversationId, replays across the viewer's conversations in the order stored", async () => {
    const { first, a, carol, second, seen } = await twoConversationsSeenUpTo();
    const missed = [await send(harness, carol, second.id, "missed 1")];
    missed.push(await send(harness, first.b, first.conversation.id, "missed 2"));
    const feed = await feedOf(a, { after: messageCursor(seen) });
    const live = await send(harness, carol, second.id, "live");
    expect(await nextIds(feed, 3)).toEqual([...ids(missed), live.id]);
    await feed.return!();
  });

  it("replays a backlog longer than a page a page at a time, each message once", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const earlier: MessageRow[] = [];
    for (let i = 0; i < 7; i += 1) earlier.push(await send(harness, b, conversation.id, `e${i}`));
    const feed = await feedOf(
      a,
      { conversationId: conversation.id, after: messageCursor(earlier[0]!) },
      3,
    );
    // Sent once the first page is read: heard live, and read again by the pages still to come.
    const during: MessageRow[] = [];
    for (let i = 0; i < 4; i += 1) during.push(await send(harness, b, conversation.id, `d${i}`));
    harness.statements.reset();
    const expected = [...ids(earlier.slice(1)), ...ids(during)];
    expect(await nextIds(feed, expected.length)).toEqual(expected);
    // Three more pages (3, 3 and 1 messages), each its messages and their read times.
    expect(harness.statements.count).toBe(6);
    const sentinel = await send(harness, a, conversation.id, "sentinel");
    expect(await nextIds(feed, 1)).toEqual([sentinel.id]);
    await feed.return!();
  });

  it("pages a replay across conversations in the order stored", async () => {
    const { first, a, carol, second, seen } = await twoConversationsSeenUpTo();
    const missed: MessageRow[] = [];
    for (let i = 0; i < 5; i += 1) {
      const [sender, conversationId] =
        i % 2 === 0 ? [carol, second.id] : [first.b, first.conversation.id];
      missed.push(await send(harness, sender, conversationId, `missed ${i}`));
    }
    harness.statements.reset();
    const feed = await feedOf(a, { after: messageCursor(seen) }, 2);
    // Heard live, and read again by the last page.
    const live = await send(harness, carol, second.id, "live");
    expect(await nextIds(feed, 6)).toEqual([...ids(missed), live.id]);
    // The cursor's place in Alice's feed, the end of her feed (past it: a replay), then per
    // page (2, 2, 2) its messages, their conversations and read times; and the send.
    expect(harness.statements.count).toBe(1 + 1 + 3 * 3 + 1);
    // The first is read by one more page, which ends the replay; the live copies that follow
    // (of "live" and of it) are skipped.
    for (const body of ["sentinel 1", "sentinel 2"]) {
      const sentinel = await send(harness, first.b, first.conversation.id, body);
      expect(await nextIds(feed, 1)).toEqual([sentinel.id]);
    }
    await feed.return!();
  });

  it("emits the viewer's messages in the order stored, across conversations, from the first one after subscribing", async () => {
    const { first, a, carol, second } = await twoConversationsSeenUpTo();
    const feed = await feedOf(a);
    const held = heldBackSender();
    const one = await held.send(first.b, first.conversation.id, "one");
    const two = await held.send(carol, second.id, "two");
    const three = await held.send(first.b, first.conversation.id, "three");
    await held.release(a.id, three);
    expect(await nextIds(feed, 3)).toEqual(ids([one, two, three]));
    await held.release(a.id, two, one);
    const four = await send(harness, carol, second.id, "four");
    expect(await nextIds(feed, 1)).toEqual([four.id]);
    await feed.return!();
  });

  it("with conversationId, emits in seq order from the first message after subscribing", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const feed = await feedOf(a, { conversationId: conversation.id });
    const held = heldBackSender();
    const one = await held.send(b, conversation.id, "one");
    const two = await held.send(b, conversation.id, "two");
    await held.release(a.id, two);
    expect(await nextIds(feed, 2)).toEqual(ids([one, two]));
    await held.release(a.id, one);
    const three = await send(harness, b, conversation.id, "three");
    expect(await nextIds(feed, 1)).toEqual([three.id]);
    await feed.return!();
  });

  it("emits a message stored while it subscribes, whose live copy it could not hear, at once", async () => {
    const { conversation, a, b } = await openConversation(harness);
    let during: MessageRow | undefined;
    // Stored and published after the feed read where Alice starts, before Redis confirmed
    // her subscription.
    const live = Object.create(harness.live) as LivePubSub;
    live.subscribe = async <T>(topic: string) => {
      during = await send(harness, b, conversation.id, "during");
      return harness.live.subscribe<T>(topic);
    };
    const { prisma, conversations } = harness;
    const feed = await new MessageFeed({ prisma, conversations, live }).subscribe(a, null, null);
    expect(((await feed.next()).value as LiveMessage).id).toBe(during!.id);
    const next = await send(harness, b, conversation.id, "next");
    expect(((await feed.next()).value as LiveMessage).id).toBe(next.id);
    await feed.return!();
  });

  it("going live, reads where it starts and, once subscribed, whether anything came since: no page", async () => {
    const { conversation, a, b } = await openConversation(harness);
    await send(harness, b, conversation.id, "before");
    harness.statements.reset();
    const feed = await feedOf(a);
    // Her feed's end, before subscribing and after.
    expect(harness.statements.count).toBe(2);
    harness.statements.reset();
    const one = await feedOf(a, { conversationId: conversation.id });
    // The conversation check (whose row gives the start), then its newest seq.
    expect(harness.statements.count).toBe(2);
    const next = await send(harness, b, conversation.id, "next");
    expect(await nextIds(feed, 1)).toEqual([next.id]);
    expect(await nextIds(one, 1)).toEqual([next.id]);
    await Promise.all([feed.return!(), one.return!()]);
  });

  describe("started from when the subscriber asked (the gateway's subscribedAt)", () => {
    /** Subscribes as the gateway does for a subscribe that reached it when `missed` was sent. */
    async function subscribedWhen(
      viewer: Viewer,
      missed: MessageRow,
      variables: { conversationId?: string } = {},
    ) {
      const subscribedAt = new Date(missed.sentAt.getTime() + SUBSCRIBED_AT_MARGIN_MS);
      const result = await subscribe({
        schema,
        document: MESSAGE_ADDED,
        variableValues: variables,
        contextValue: {
          ...harness.context(viewer),
          resume: new StreamResume(undefined, subscribedAt),
        },
      });
      if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result.errors));
      return result as Events;
    }

    /** Stamps `message` as sent well before anything a test subscribes from. */
    const sentLongBefore = (message: MessageRow) =>
      harness.prisma.message.update({
        where: { id: message.id },
        data: { sentAt: new Date(message.sentAt.getTime() - 10 * SUBSCRIBED_AT_MARGIN_MS) },
      });

    it("with conversationId, first the messages sent since, then live ones", async () => {
      const { conversation, a, b } = await openConversation(harness);
      await sentLongBefore(await send(harness, b, conversation.id, "before"));
      const missed = await send(harness, b, conversation.id, "while the gateway set up");
      const feed = await subscribedWhen(a, missed, { conversationId: conversation.id });
      const live = await send(harness, b, conversation.id, "live");
      expect(await nextIds(feed, 2)).toEqual(ids([missed, live]));
      await feed.return!();
    });

    it("without conversationId, the same across the viewer's conversations", async () => {
      const { first, a, carol, second, seen } = await twoConversationsSeenUpTo();
      await sentLongBefore(seen);
      const missed = await send(harness, carol, second.id, "while the gateway set up");
      const feed = await subscribedWhen(a, missed);
      const live = await send(harness, first.b, first.conversation.id, "live");
      expect(await nextIds(feed, 2)).toEqual(ids([missed, live]));
      await feed.return!();
    });
  });

  it("resumes after a message by the order stored, not by the time stamped", async () => {
    const { first, a, carol, second } = await twoConversationsSeenUpTo();
    const received = await send(harness, carol, second.id, "received");
    const later = await send(harness, first.b, first.conversation.id, "stamped first");
    // As if its sender's statement stamped it before `received` and committed after it.
    await harness.prisma.message.update({
      where: { id: later.id },
      data: { sentAt: new Date(received.sentAt.getTime() - 1000) },
    });
    const feed = await feedOf(a, { after: messageCursor(received) });
    const sentinel = await send(harness, carol, second.id, "sentinel");
    expect(await nextIds(feed, 2)).toEqual(ids([later, sentinel]));
    await feed.return!();
  });

  it("replays with a few statements in all, not a query per message", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const seen = await send(harness, b, conversation.id, "seen");
    const missed: MessageRow[] = [];
    for (let i = 0; i < 10; i += 1) {
      missed.push(await send(harness, b, conversation.id, `m${i}`));
      // Alice read the first four on another device.
      if (i === 3) await harness.conversations.markRead(a, conversation.id);
    }
    const { readAt } = await harness.prisma.readMarker.findFirstOrThrow({
      where: { conversationId: conversation.id, userId: a.id },
    });
    harness.statements.reset();
    const feed = await feedOf(b, { conversationId: conversation.id, after: messageCursor(seen) });
    const replayed: { id: string; readAt: Date | null; conversation: { id: string } }[] = [];
    for (let i = 0; i < missed.length; i += 1) {
      const { value } = await feed.next();
      replayed.push(
        (value as ExecutionResult<{ messageAdded: (typeof replayed)[0] }>).data!.messageAdded,
      );
    }
    // The conversation check (which the replay reuses), its newest seq (past the cursor: a
    // replay), the messages and their read times.
    expect(harness.statements.count).toBe(4);
    expect(replayed.map((message) => message.id)).toEqual(ids(missed));
    expect(replayed.map((message) => message.readAt)).toEqual([
      ...Array(4).fill(readAt),
      ...Array(6).fill(null),
    ]);
    expect(replayed.every((message) => message.conversation.id === conversation.id)).toBe(true);
    await feed.return!();
  });

  it("unsubscribes from Redis when the client stops listening", async () => {
    const { conversation, a } = await openConversation(harness);
    const last = await send(harness, a, conversation.id, "hi");
    const channel = harness.live.channel(messageAddedTopic(a.id));
    const subscribers = async () =>
      ((await harness.redis.call("PUBSUB", "NUMSUB", channel)) as [string, number])[1];
    const feed = await feedOf(a, { after: messageCursor(last) });
    expect(await subscribers()).toBe(1);
    const waiting = feed.next();
    await feed.return!();
    expect(await waiting).toMatchObject({ done: true });
    await eventually(async () => expect(await subscribers()).toBe(0));
    const probes = (await harness.redis.call(
      "PUBSUB",
      "CHANNELS",
      harness.live.channel("probe:*"),
    )) as string[];
    expect(probes).toEqual([]);
  });
});
