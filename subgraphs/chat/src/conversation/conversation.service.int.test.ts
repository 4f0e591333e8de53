import { randomUUID } from "node:crypto";
import type { Viewer } from "@pulse/platform/server";
import { execute, parse, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildChatSchema } from "../schema.ts";
import { storeBacklog } from "../testing/backlog.ts";
import {
  newViewer,
  nodeIds,
  openConversation,
  send,
  startChatHarness,
  type ChatHarness,
} from "../testing/chat-harness.ts";

let harness: ChatHarness;
let schema: GraphQLSchema;
beforeAll(async () => {
  harness = startChatHarness();
  schema = await buildChatSchema();
});
afterAll(() => harness?.close());

/** Opens a conversation between `viewer` and a new person; returns its id and that person. */
async function conversationWith(viewer: Viewer, matchedAt = new Date()) {
  const other = newViewer();
  const matchId = randomUUID();
  await harness.deliver("match.created", {
    matchId,
    userIds: [viewer.id, other.id],
    matchedAt: matchedAt.toISOString(),
  });
  const { id } = await harness.prisma.conversation.findUniqueOrThrow({ where: { matchId } });
  return { id, other };
}

async function run(viewer: Viewer | null, query: string, variables: Record<string, unknown> = {}) {
  const result = await execute({
    schema,
    document: parse(query),
    variableValues: variables,
    contextValue: harness.context(viewer),
  });
  expect(result.errors).toBeUndefined();
  return result.data as Record<string, any>;
}

describe("conversations", () => {
  it("lists the viewer's conversations by last activity, a keyset page at a time", async () => {
    const viewer = newViewer();
    const start = Date.now() - 60_000;
    const [c1, c2, c3] = [
      await conversationWith(viewer, new Date(start)),
      await conversationWith(viewer, new Date(start + 1000)),
      await conversationWith(viewer, new Date(start + 2000)),
    ];
    expect(nodeIds(await harness.conversations.list(viewer, 10, undefined))).toEqual([
      c3.id,
      c2.id,
      c1.id,
    ]);
    await send(harness, c1.other, c1.id, "bump");
    const first = await harness.conversations.list(viewer, 2, undefined);
    expect(nodeIds(first)).toEqual([c1.id, c3.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await harness.conversations.list(viewer, 2, first.pageInfo.endCursor);
    expect(nodeIds(second)).toEqual([c2.id]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(nodeIds(await harness.conversations.list(c2.other, 10, undefined))).toEqual([c2.id]);
    await expect(harness.conversations.list(viewer, 2, "bogus")).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "after" },
    });
  });

  it("costs the same statements for 2 and for 8 conversations (batched fields)", async () => {
    const viewer = newViewer();
    for (let i = 0; i < 8; i += 1) {
      const { id, other } = await conversationWith(viewer);
      await send(harness, viewer, id, `hello ${i}`);
      await harness.conversations.markRead(other, id);
    }
    const query = `query ($first: Int) {
      conversations(first: $first) {
        edges { node {
          id unreadCount participants { id }
          lastMessage { id body readAt cursor sender { id } conversation { id } }
        } }
      }
    }`;
    const statementsFor = async (first: number) => {
      harness.statements.reset();
      const data = await run(viewer, query, { first });
      expect(data.conversations.edges).toHaveLength(first);
      for (const { node } of data.conversations.edges) {
        expect(node.lastMessage).toMatchObject({
          readAt: expect.any(Date),
          sender: { id: viewer.id },
          conversation: { id: node.id },
        });
        expect(node.unreadCount).toBe(0);
      }
      return harness.statements.count;
    };
    const forTwo = await statementsFor(2);
    // The page (2: sides, then their conversations), unread counters, last messages, readAt,
    // conversations of the messages.
    expect(forTwo).toBe(6);
    expect(await statementsFor(8)).toBe(forTwo);
  });
});

describe("conversation", () => {
  it("is FORBIDDEN for someone else's and NOT_FOUND for an unknown id", async () => {
    const { conversation, a } = await openConversation(harness);
    expect((await harness.conversations.get(a, conversation.id)).id).toBe(conversation.id);
    await expect(harness.conversations.get(newViewer(), conversation.id)).rejects.toMatchObject({
      extensions: { code: "FORBIDDEN" },
    });
    for (const id of [randomUUID(), "nope"]) {
      await expect(harness.conversations.get(a, id)).rejects.toMatchObject({
        extensions: { code: "NOT_FOUND" },
      });
    }
  });

  it("shows the match's conversation on Match only to its people", async () => {
    const { conversation, matchId, a } = await openConversation(harness);
    const query = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Match { conversation { id } } }
    }`;
    const representations = [{ __typename: "Match", id: matchId }];
    expect(await run(a, query, { representations })).toEqual({
      _entities: [{ conversation: { id: conversation.id } }],
    });
    expect(await run(newViewer(), query, { representations })).toEqual({
      _entities: [{ conversation: null }],
    });
  });
});

describe("markConversationRead", () => {
  it("resets the viewer's unread count and sets readAt on the other person's messages", async () => {
    const { conversation, a, b } = await openConversation(harness);
    const sent = [
      await send(harness, a, conversation.id, "one"),
      await send(harness, a, conversation.id, "two"),
    ];
    const mine = await send(harness, b, conversation.id, "mine");
    const unread = async (viewer: Viewer) =>
      (await harness.context(viewer).loaders.participation.load(conversation.id))!.unreadCount;
    const readAt = (viewer: Viewer, id: string) =>
      harness
        .context(viewer)
        .loaders.readAt.load(id)
        .then((row) => row?.readAt ?? null);
    expect([await unread(b), await unread(a)]).toEqual([2, 1]);
    expect(await readAt(a, sent[0]!.id)).toBeNull();

    await harness.conversations.markRead(b, conversation.id);
    expect([await unread(b), await unread(a)]).toEqual([0, 1]);
    const firstRead = await readAt(a, sent[0]!.id);
    expect(firstRead).toEqual(expect.any(Date));
    expect(await readAt(a, sent[1]!.id)).toEqual(firstRead);
    // b's own message is read by a, who has not read anything yet.
    expect(await readAt(b, mine.id)).toBeNull();

    // Idempotent: nothing new to read keeps the first readAt.
    await harness.conversations.markRead(b, conversation.id);
    expect(await readAt(a, sent[0]!.id)).toEqual(firstRead);
    const later = await send(harness, a, conversation.id, "three");
    expect([await unread(b), await readAt(a, later.id)]).toEqual([1, null]);
  });

  it("answers through the schema with unreadCount 0", async () => {
    const { conversation, a, b } = await openConversation(harness);
    await send(harness, a, conversation.id, "hi");
    const data = await run(
      b,
      `mutation ($id: ID!) { markConversationRead(conversationId: $id) { id unreadCount } }`,
      { id: conversation.id },
    );
    expect(data).toEqual({ markConversationRead: { id: conversation.id, unreadCount: 0 } });
  });
});

describe("unreadCount", () => {
  it("is a counter: one primary-key read, however many messages (100,000)", async () => {
    const { conversation, a, b } = await openConversation(harness);
    // 99,999 messages from b in one statement, counted as sending them would have.
    await storeBacklog(harness.prisma, conversation.id, b.id, 99_999);
    const last = await send(harness, b, conversation.id, "one hundred thousand");
    expect(last.seq).toBe(100_000n);

    const query = `query ($id: ID!) {
      conversation(id: $id) { unreadCount lastMessage { id } }
    }`;
    harness.statements.reset();
    expect(await run(a, query, { id: conversation.id })).toEqual({
      conversation: { unreadCount: 100_000, lastMessage: { id: last.id } },
    });
    // The conversation, the viewer's side (its counter) and the last message: no COUNT.
    expect(harness.statements.count).toBe(3);

    await harness.conversations.markRead(a, conversation.id);
    expect(await run(a, query, { id: conversation.id })).toMatchObject({
      conversation: { unreadCount: 0 },
    });
  });
});
