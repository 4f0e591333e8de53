import { randomUUID } from "node:crypto";
import type { Message as MessageRow } from "@pulse/db";
import { execute, parse, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildChatSchema } from "../schema.ts";
import {
  newViewer,
  nodeIds,
  openConversation,
  send,
  startChatHarness,
  type ChatHarness,
} from "../testing/chat-harness.ts";
import { fromLive, messageAddedTopic, type LiveMessage } from "./message-added.topic.ts";

let harness: ChatHarness;
let schema: GraphQLSchema;
beforeAll(async () => {
  harness = startChatHarness();
  schema = await buildChatSchema();
});
afterAll(() => harness?.close());

describe("sendMessage", () => {
  it("answers a new message's conversation and readAt without reading them again", async () => {
    const { conversation, a } = await openConversation(harness);
    const sendMessage = (clientMessageId: string) =>
      execute({
        schema,
        document: parse(`mutation ($input: SendMessageInput!) {
          sendMessage(input: $input) { id readAt conversation { id closedAt } }
        }`),
        variableValues: { input: { conversationId: conversation.id, body: "hi", clientMessageId } },
        contextValue: harness.context(a),
      });
    harness.statements.reset();
    expect(await sendMessage("new")).toEqual({
      data: {
        sendMessage: {
          id: expect.any(String),
          readAt: null,
          conversation: { id: conversation.id, closedAt: null },
        },
      },
    });
    // One statement stores it and answers its conversation: nothing after it.
    expect(harness.statements.count).toBe(1);
    // A retry stores nothing, looks up the message and the conversation side by side, and reads
    // what it answers afresh (the conversation and its read state may have moved): the
    // conversation and the read markers.
    harness.statements.reset();
    expect((await sendMessage("new")).errors).toBeUndefined();
    expect(harness.statements.count).toBe(5);
  });

  it("stores the trimmed body with the next seq, and counts it unread for the other person", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const first = await harness.messages.send(a, {
      conversationId: conversation.id,
      body: "  Hello there!\n",
      clientMessageId: "c-1",
    });
    expect(first).toEqual({
      message: {
        id: expect.any(String),
        conversationId: conversation.id,
        seq: 1n,
        senderId: a.id,
        clientMessageId: "c-1",
        body: "Hello there!",
        sentAt: expect.any(Date),
        // The first message of both people's feeds.
        senderPosition: 1n,
        recipientId: b.id,
        recipientPosition: 1n,
      },
      // Stored by this request: the conversation it went into comes back with it, numbered on.
      storedIn: { ...conversation, lastSeq: 1n },
    });
    const second = await send(harness, b, conversation.id, "Hi!");
    expect(second).toMatchObject({
      seq: 2n,
      senderPosition: 2n,
      recipientId: a.id,
      recipientPosition: 2n,
    });
    const sides = await harness.prisma.conversationParticipant.findMany({
      where: { conversationId: conversation.id },
    });
    const unread = Object.fromEntries(sides.map((side) => [side.userId, side.unreadCount]));
    expect(unread).toEqual({ [a.id]: 1, [b.id]: 1 });
    expect(sides.map((side) => side.lastActivityAt)).toEqual([second.sentAt, second.sentAt]);
  });

  it("places each message in both people's feeds without holes, in each conversation's order, under concurrent sends", async () => {
    // Three people matched in a triangle, every conversation sending both ways at once: each
    // send races for its conversation's row and for two feed counters that the other two
    // conversations take too.
    const people = [newViewer(), newViewer(), newViewer()];
    const pairs = people.map((person, index) => [person, people[(index + 1) % 3]!] as const);
    const conversations = await Promise.all(
      pairs.map(async ([one, other]) => {
        const matchId = randomUUID();
        await harness.deliver("match.created", {
          matchId,
          userIds: [one.id, other.id],
          matchedAt: new Date().toISOString(),
        });
        return harness.prisma.conversation.findUniqueOrThrow({ where: { matchId } });
      }),
    );
    await Promise.all(
      conversations.flatMap((conversation, index) =>
        Array.from({ length: 20 }, (_, i) =>
          send(harness, pairs[index]![i % 2]!, conversation.id, `m${i}`),
        ),
      ),
    );
    const stored = await harness.prisma.message.findMany({
      where: { conversationId: { in: conversations.map((conversation) => conversation.id) } },
      orderBy: [{ conversationId: "asc" }, { seq: "asc" }],
    });
    const positionOf = (userId: string, message: MessageRow) =>
      message.senderId === userId ? message.senderPosition : message.recipientPosition;
    const ascending = (positions: bigint[]) => [...positions].sort((x, y) => Number(x - y));
    for (const person of people) {
      const theirs = stored.filter((message) =>
        [message.senderId, message.recipientId].includes(person.id),
      );
      expect(ascending(theirs.map((message) => positionOf(person.id, message)))).toEqual(
        Array.from({ length: 40 }, (_, i) => BigInt(i + 1)),
      );
      const counter = await harness.prisma.feedCounter.findUniqueOrThrow({
        where: { userId: person.id },
      });
      expect(counter.lastPosition).toBe(40n);
    }
    // Seq order is commit order, and so is each feed's: within a conversation they agree.
    for (const [index, conversation] of conversations.entries()) {
      const theirs = stored.filter((message) => message.conversationId === conversation.id);
      for (const person of pairs[index]!) {
        const positions = theirs.map((message) => positionOf(person.id, message));
        expect(positions).toEqual(ascending(positions));
      }
    }
  });

  it("validates the body: 1..2000 characters once trimmed", async () => {
    const { conversation, a } = await openConversation(harness);
    for (const body of ["", "   \n ", "x".repeat(2001)]) {
      await expect(send(harness, a, conversation.id, body)).rejects.toMatchObject({
        extensions: { code: "BAD_USER_INPUT", field: "input.body" },
      });
    }
    expect((await send(harness, a, conversation.id, ` ${"x".repeat(2000)} `)).body).toHaveLength(
      2000,
    );
    // Characters, not UTF-16 units: 2000 emoji fit.
    expect((await send(harness, a, conversation.id, "🏃".repeat(2000))).seq).toBe(2n);
    await expect(
      harness.messages.send(a, {
        conversationId: conversation.id,
        body: "hi",
        clientMessageId: "",
      }),
    ).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "input.clientMessageId" },
    });
  });

  it("stores one message for a repeated clientMessageId and returns it each time", async () => {
    const { conversation, a } = await openConversation(harness);
    const request = { conversationId: conversation.id, body: "once", clientMessageId: "k-1" };
    const first = await harness.messages.send(a, request);
    expect(first.storedIn).not.toBeNull();
    // A retry stored nothing: the message again, and no conversation to answer from.
    expect(await harness.messages.send(a, { ...request, body: " once " })).toEqual({
      message: first.message,
      storedIn: null,
    });
    expect(await harness.prisma.message.count({ where: { conversationId: conversation.id } })).toBe(
      1,
    );
  });

  it("stores one message when identical requests race", async () => {
    for (let round = 0; round < 3; round += 1) {
      const { conversation, a } = await openConversation(harness);
      const request = { conversationId: conversation.id, body: "race", clientMessageId: "r" };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => harness.messages.send(a, request)),
      );
      expect(new Set(results.map(({ message }) => message.id)).size).toBe(1);
      expect(results.filter(({ storedIn }) => storedIn !== null)).toHaveLength(1);
      const stored = await harness.prisma.message.findMany({
        where: { conversationId: conversation.id },
      });
      expect(stored).toEqual([results[0]!.message]);
      const after = await harness.prisma.conversation.findUniqueOrThrow({
        where: { id: conversation.id },
      });
      expect(after.lastSeq).toBe(1n);
    }
  });

  it("is a CONFLICT to reuse a clientMessageId for another body or conversation", async () => {
    const first = await openConversation(harness);
    const second = await openConversation(harness);
    // The same person in a second conversation.
    const { a } = first;
    await harness.deliver("match.created", {
      matchId: randomUUID(),
      userIds: [a.id, second.a.id],
      matchedAt: new Date().toISOString(),
    });
    const other = await harness.prisma.conversation.findFirstOrThrow({
      where: { OR: [{ userLow: a.id }, { userHigh: a.id }], NOT: { id: first.conversation.id } },
    });
    const request = { conversationId: first.conversation.id, body: "hi", clientMessageId: "k" };
    await harness.messages.send(a, request);
    for (const changed of [{ body: "hello" }, { conversationId: other.id }]) {
      await expect(harness.messages.send(a, { ...request, ...changed })).rejects.toMatchObject({
        extensions: { code: "CONFLICT", field: "input.clientMessageId" },
      });
    }
    // Keys are per sender: the other person may use the same one.
    expect((await harness.messages.send(first.b, request)).message.senderId).toBe(first.b.id);
  });

  it("is FORBIDDEN for someone else's conversation and NOT_FOUND for an unknown one", async () => {
    const { conversation } = await openConversation(harness);
    const stranger = newViewer();
    await expect(send(harness, stranger, conversation.id, "hi")).rejects.toMatchObject({
      extensions: { code: "FORBIDDEN" },
    });
    for (const id of [randomUUID(), "nope"]) {
      await expect(send(harness, stranger, id, "hi")).rejects.toMatchObject({
        extensions: { code: "NOT_FOUND" },
      });
    }
  });

  it("publishes the committed message to both people's live topics", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const feeds = await Promise.all(
      [a, b].map((person) => harness.live.subscribe<LiveMessage>(messageAddedTopic(person.id))),
    );
    const received = feeds.map((feed) => feed.next());
    const message = await send(harness, a, conversation.id, "live");
    for (const result of await Promise.all(received)) {
      expect(fromLive(result.value as LiveMessage)).toEqual(message);
    }
    await Promise.all(feeds.map((feed) => feed.return?.()));
  });
});

describe("messages", () => {
  it("pages newest first with `after`, and refuses another conversation's cursor", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const sent: MessageRow[] = [];
    for (const [index, sender] of [a, b, a, b, a].entries()) {
      sent.push(await send(harness, sender, conversation.id, `m${index}`));
    }
    const newestFirst = sent.map((message) => message.id).reverse();
    const first = await harness.messages.page(conversation, 2, undefined);
    expect(nodeIds(first)).toEqual(newestFirst.slice(0, 2));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, endCursor: first.edges[1]!.cursor });
    const rest = await harness.messages.page(conversation, 10, first.pageInfo.endCursor);
    expect(nodeIds(rest)).toEqual(newestFirst.slice(2));
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const other = await openConversation(harness);
    await expect(
      harness.messages.page(other.conversation, 10, first.pageInfo.endCursor),
    ).rejects.toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "after" } });
    await expect(harness.messages.page(conversation, 10, "bogus")).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "after" },
    });
  });
});
