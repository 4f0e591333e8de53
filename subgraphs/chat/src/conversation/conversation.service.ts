import type { Conversation as ConversationRow } from "@pulse/db";
import { type Viewer } from "@pulse/platform/server";
import {
  decodeCursor,
  isUuid,
  pageSize,
  toConnection,
  type Connection,
  type PrismaClient,
} from "@pulse/platform/subgraph";
import { z } from "zod";
import { requireReadable } from "./conversation.rules.ts";

/** A keyset position in a person's conversation list: last activity, then conversation id. */
const listCursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** Conversations: listing the viewer's, reading one, marking one read. */
export class ConversationService {
  /**
   * @param prisma the primary: one conversation, and marking read.
   * @param reads lag-tolerant reads (ADR 0025): the list, on the replica when there is one.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly reads: PrismaClient,
  ) {}

  /** The conversation with this id, if any (ids that are not UUIDs name none). */
  find(id: string): Promise<ConversationRow | null> {
    return isUuid(id)
      ? this.prisma.conversation.findUnique({ where: { id } })
      : Promise.resolve(null);
  }

  /**
   * The viewer's conversations, most recently active first, a keyset page at a time. Those
   * closed by unmatch or block are gone; one whose other person deleted their account stays.
   * The list may lag the primary by the replica's delay (its order, a conversation just opened or
   * closed); each conversation's unread count and last message come from the primary.
   *
   * @throws BAD_USER_INPUT on `after` for a cursor we did not make.
   */
  async list(
    viewer: Viewer,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<ConversationRow>> {
    const size = pageSize(first);
    const position = after ? decodeCursor(after, listCursorSchema) : undefined;
    const since = position && new Date(position[0]);
    const rows = await this.reads.conversationParticipant.findMany({
      where: {
        userId: viewer.id,
        hiddenAt: null,
        ...(position && {
          // Redundant with the OR, but a range the list index can start from.
          lastActivityAt: { lte: since },
          OR: [
            { lastActivityAt: { lt: since } },
            { lastActivityAt: since, conversationId: { lt: position[1] } },
          ],
        }),
      },
      orderBy: [{ lastActivityAt: "desc" }, { conversationId: "desc" }],
      take: size + 1,
      include: { conversation: true },
    });
    const page = toConnection(rows, size, (row) => [
      row.lastActivityAt.toISOString(),
      row.conversationId,
    ]);
    return {
      ...page,
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: node.conversation })),
    };
  }

  /**
   * One of the viewer's conversations.
   *
   * @throws NOT_FOUND when unknown or closed by unmatch or block, FORBIDDEN for someone else's.
   */
  async get(viewer: Viewer, id: string): Promise<ConversationRow> {
    return requireReadable(await this.find(id), viewer.id);
  }

  /**
   * Moves the viewer's read marker to the conversation's newest message and resets their unread
   * counter. Idempotent. The marker's first arrival at a seq is kept, as those messages' `readAt`.
   *
   * @throws as `get`.
   */
  async markRead(viewer: Viewer, id: string): Promise<ConversationRow> {
    const conversation = await this.get(viewer, id);
    await this.prisma.$transaction(async (tx) => {
      // FOR SHARE waits for a send in flight (it holds the row's lock until commit), so the
      // marker and the reset counter cover exactly the same messages.
      const [{ lastSeq }] = await tx.$queryRaw<[{ lastSeq: bigint }]>`
        SELECT last_seq AS "lastSeq" FROM chat.conversation WHERE id = ${id}::uuid FOR SHARE`;
      await tx.conversationParticipant.update({
        where: { conversationId_userId: { conversationId: id, userId: viewer.id } },
        data: { readSeq: lastSeq, unreadCount: 0 },
      });
      if (lastSeq > 0n) {
        await tx.readMarker.createMany({
          data: [{ conversationId: id, userId: viewer.id, readSeq: lastSeq }],
          skipDuplicates: true,
        });
      }
    });
    return conversation;
  }
}
