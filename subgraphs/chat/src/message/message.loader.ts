import { Prisma, type Message as MessageRow } from "@pulse/db";
import { createKeyedLoader, isUuid, type PrismaClient } from "@pulse/platform/subgraph";
import type { ChatLoaderDeps } from "../conversation/conversation.loader.ts";

/** The columns of a message row aliased `m`, named as the Message model's fields, for raw SQL. */
export const MESSAGE_COLUMNS = Prisma.raw(`m.id, m.conversation_id AS "conversationId", m.seq,
  m.sender_id AS "senderId", m.client_message_id AS "clientMessageId", m.body,
  m.sent_at AS "sentAt", m.sender_position AS "senderPosition", m.recipient_id AS "recipientId",
  m.recipient_position AS "recipientPosition"`);

/** Request-scoped message loaders, each one statement per batch. */
export const messageLoaders = {
  /** Messages by id; ids that are not UUIDs find nothing. */
  message: ({ prisma }: ChatLoaderDeps) =>
    createKeyedLoader<string, MessageRow>(
      (ids) => prisma.message.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
      (message) => message.id,
    ),
  /** Each conversation's newest message (the one at its `last_seq`), by conversation id. */
  lastMessage: ({ prisma }: ChatLoaderDeps) =>
    createKeyedLoader<string, MessageRow>(
      (ids) => prisma.$queryRaw<MessageRow[]>`
        SELECT ${MESSAGE_COLUMNS}
        FROM chat.conversation c
        JOIN chat.message m ON m.conversation_id = c.id AND m.seq = c.last_seq
        WHERE c.id = ANY(${ids.filter(isUuid)}::uuid[])`,
      (message) => message.conversationId,
    ),
  /** When the other person's read marker first covered each message, by message id. */
  readAt: ({ prisma }: ChatLoaderDeps) =>
    createKeyedLoader<string, MessageReadTime>(
      (ids) => readTimes(prisma, ids.filter(isUuid)),
      (row) => row.id,
    ),
};

export interface MessageReadTime {
  id: string;
  readAt: Date;
}

/**
 * When the other person's read marker first covered each of the messages `ids` (UUIDs): their
 * first marker at or past the message's seq. Messages not read yet are left out.
 */
export function readTimes(prisma: PrismaClient, ids: string[]): Promise<MessageReadTime[]> {
  return prisma.$queryRaw<MessageReadTime[]>`
    SELECT m.id, r.read_at AS "readAt"
    FROM chat.message m
    JOIN chat.conversation c ON c.id = m.conversation_id
    CROSS JOIN LATERAL (
      SELECT read_at FROM chat.read_marker r
      WHERE r.conversation_id = m.conversation_id
        AND r.user_id = CASE WHEN m.sender_id = c.user_low THEN c.user_high ELSE c.user_low END
        AND r.read_seq >= m.seq
      ORDER BY r.read_seq
      LIMIT 1) r
    WHERE m.id = ANY(${ids}::uuid[])`;
}
