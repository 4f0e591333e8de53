import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeBacklog } from "./backlog.ts";
import {
  openConversation,
  send,
  startChatHarness,
  type ChatHarness,
  type OpenedConversation,
} from "./chat-harness.ts";

let harness: ChatHarness;
beforeAll(() => {
  harness = startChatHarness();
});
afterAll(() => harness?.close());

/**
 * What storing messages leaves behind in a conversation of two new people, with the people named
 * by role ("a", "b"), so that two conversations compare.
 */
async function storedState({ conversation, a, b }: OpenedConversation) {
  const { prisma } = harness;
  const role = (userId: string) => ({ [a.id]: "a", [b.id]: "b" })[userId] ?? userId;
  const [{ lastSeq }, participants, counters, messages] = await Promise.all([
    prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } }),
    prisma.conversationParticipant.findMany({ where: { conversationId: conversation.id } }),
    prisma.feedCounter.findMany({ where: { userId: { in: [a.id, b.id] } } }),
    prisma.message.findMany({
      where: { conversationId: conversation.id },
      orderBy: { seq: "asc" },
    }),
  ]);
  const byRole = <Row extends { userId: string }>(rows: Row[], pick: (row: Row) => unknown) =>
    Object.fromEntries(rows.map((row) => [role(row.userId), pick(row)]));
  return {
    lastSeq,
    participants: byRole(participants, ({ unreadCount, readSeq, hiddenAt }) => ({
      unreadCount,
      readSeq,
      hiddenAt,
    })),
    feedEnds: byRole(counters, (counter) => counter.lastPosition),
    messages: messages.map((message) => ({
      seq: message.seq,
      sender: role(message.senderId),
      recipient: role(message.recipientId),
      senderPosition: message.senderPosition,
      recipientPosition: message.recipientPosition,
      sentAfterMatch: message.sentAt >= conversation.createdAt,
    })),
  };
}

describe("storeBacklog", () => {
  it("leaves what sending the same messages one after another leaves", async () => {
    const [sent, stored] = await Promise.all([
      openConversation(harness),
      openConversation(harness),
    ]);
    // Each conversation has a message from the other side first, so counters exist already.
    for (const opened of [sent, stored]) {
      await send(harness, opened.a, opened.conversation.id, "first");
    }
    for (const body of ["one", "two", "three"]) {
      await send(harness, sent.b, sent.conversation.id, body);
    }
    await storeBacklog(harness.prisma, stored.conversation.id, stored.b.id, 3);

    const expected = await storedState(sent);
    expect(expected.messages).toHaveLength(4);
    expect(await storedState(stored)).toEqual(expected);
  });
});
