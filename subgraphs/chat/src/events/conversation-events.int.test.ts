import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  newViewer,
  nodeIds,
  openConversation,
  send,
  startChatHarness,
  type ChatHarness,
} from "../testing/chat-harness.ts";

let harness: ChatHarness;
beforeAll(() => {
  harness = startChatHarness();
});
afterAll(() => harness?.close());

const listed = async (viewer: Parameters<ChatHarness["conversations"]["list"]>[0]) =>
  nodeIds(await harness.conversations.list(viewer, 10, undefined));

describe("match.created", () => {
  it("opens one conversation per match, however often it is delivered", async () => {
    const { conversation, matchId, a, b } = await openConversation(harness);
    await harness.deliver("match.created", {
      matchId,
      userIds: [b.id, a.id],
      matchedAt: new Date().toISOString(),
    });
    expect(await harness.prisma.conversation.count({ where: { matchId } })).toBe(1);
    expect(conversation).toMatchObject({
      userLow: [a.id, b.id].sort()[0],
      userHigh: [a.id, b.id].sort()[1],
      closedAt: null,
    });
    expect(await listed(a)).toEqual([conversation.id]);
    expect(await listed(b)).toEqual([conversation.id]);
  });
});

describe("match.ended", () => {
  it("closes the conversation on unmatch: gone for both, NOT_FOUND, unwritable", async () => {
    const { conversation, matchId, a, b } = await openConversation(harness);
    await send(harness, a, conversation.id, "hi");
    const endedAt = new Date().toISOString();
    await harness.deliver("match.ended", {
      matchId,
      userIds: [a.id, b.id],
      endedAt,
      reason: "UNMATCHED",
    });
    const closed = await harness.prisma.conversation.findUniqueOrThrow({ where: { matchId } });
    expect(closed).toMatchObject({ closedAt: new Date(endedAt), closedReason: "UNMATCHED" });
    for (const person of [a, b]) {
      expect(await listed(person)).toEqual([]);
      await expect(harness.conversations.get(person, conversation.id)).rejects.toMatchObject({
        extensions: { code: "NOT_FOUND" },
      });
    }
    await expect(send(harness, b, conversation.id, "still there?")).rejects.toMatchObject({
      extensions: { code: "FORBIDDEN" },
    });
  });

  it("keeps the first reason when a later event closes it again", async () => {
    const { matchId, a, b } = await openConversation(harness);
    const end = (reason: "UNMATCHED" | "USER_DELETED") =>
      harness.deliver("match.ended", {
        matchId,
        userIds: [a.id, b.id],
        endedAt: new Date().toISOString(),
        reason,
      });
    await end("UNMATCHED");
    await end("USER_DELETED");
    await harness.deliver("user.deleted", { userId: a.id });
    const conversation = await harness.prisma.conversation.findUniqueOrThrow({
      where: { matchId },
    });
    expect(conversation.closedReason).toBe("UNMATCHED");
    expect(await listed(b)).toEqual([]);
  });

  it("handled before its match.created, leaves a closed conversation the late event keeps", async () => {
    const [a, b] = [newViewer(), newViewer()];
    const matchId = randomUUID();
    const userIds: [string, string] = [a.id, b.id];
    await harness.deliver("match.ended", {
      matchId,
      userIds,
      endedAt: new Date().toISOString(),
      reason: "BLOCKED",
    });
    await harness.deliver("match.created", {
      matchId,
      userIds,
      matchedAt: new Date().toISOString(),
    });
    const conversation = await harness.prisma.conversation.findUniqueOrThrow({
      where: { matchId },
    });
    expect(conversation.closedReason).toBe("BLOCKED");
    expect(await listed(a)).toEqual([]);
  });
});

describe("user.blocked", () => {
  it.each(["by the first person", "by the second person"])(
    "closes the pair's conversation for both when blocked %s",
    async (direction) => {
      const { conversation, a, b } = await openConversation(harness);
      const [blocker, blocked] = direction === "by the first person" ? [a, b] : [b, a];
      await harness.deliver("user.blocked", {
        blockerId: blocker.id,
        blockedId: blocked.id,
        at: new Date().toISOString(),
      });
      const closed = await harness.prisma.conversation.findUniqueOrThrow({
        where: { id: conversation.id },
      });
      expect(closed.closedReason).toBe("BLOCKED");
      expect(await listed(a)).toEqual([]);
      expect(await listed(b)).toEqual([]);
      await expect(send(harness, blocked, conversation.id, "hello?")).rejects.toMatchObject({
        extensions: { code: "FORBIDDEN" },
      });
    },
  );

  it("leaves the blocker's other conversations open", async () => {
    const first = await openConversation(harness);
    const [carol] = [newViewer()];
    const matchId = randomUUID();
    await harness.deliver("match.created", {
      matchId,
      userIds: [first.a.id, carol.id],
      matchedAt: new Date().toISOString(),
    });
    await harness.deliver("user.blocked", {
      blockerId: first.a.id,
      blockedId: first.b.id,
      at: new Date().toISOString(),
    });
    const other = await harness.prisma.conversation.findUniqueOrThrow({ where: { matchId } });
    expect(other.closedAt).toBeNull();
    expect(await listed(first.a)).toEqual([other.id]);
  });
});

describe("user.deleted", () => {
  it("leaves the conversation to the other person, listed and readable but read-only", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const message = await send(harness, b, conversation.id, "bye");
    await harness.deliver("user.deleted", { userId: b.id });
    const closed = await harness.conversations.get(a, conversation.id);
    expect(closed).toMatchObject({ closedReason: "USER_DELETED", closedAt: expect.any(Date) });
    expect(await listed(a)).toEqual([conversation.id]);
    const page = await harness.messages.page(closed, 10, undefined);
    expect(page.edges.map((edge) => edge.node)).toEqual([message]);
    expect(page.edges[0]!.node.senderId).toBe(b.id);
    await expect(send(harness, a, conversation.id, "are you there?")).rejects.toMatchObject({
      extensions: { code: "FORBIDDEN" },
    });
    // Reading stays possible: the survivor can still clear their unread counter.
    expect((await harness.conversations.markRead(a, conversation.id)).id).toBe(conversation.id);
    // The deleted person's feed counter is gone; the survivor's stays.
    const counters = await harness.prisma.feedCounter.findMany({
      where: { userId: { in: [a.id, b.id] } },
    });
    expect(counters).toEqual([{ userId: a.id, lastPosition: 1n }]);
  });
});
