import { randomUUID } from "node:crypto";
import { type Conversation as ConversationRow, type Message as MessageRow } from "@pulse/db";
import {
  badUserInput,
  conflict,
  forbidden,
  notFound,
  type Logger,
  type Viewer,
} from "@pulse/platform/server";
import {
  isUniqueViolation,
  isUuid,
  pageSize,
  parseInput,
  PREPARED,
  toConnection,
  type Connection,
  type LivePubSub,
  type PrismaClient,
} from "@pulse/platform/subgraph";
import { requireWritable } from "../conversation/conversation.rules.ts";
import type { ConversationService } from "../conversation/conversation.service.ts";
import { messageAddedTopic, toLive } from "./message-added.topic.ts";
import { decodeMessageCursor, messagePosition } from "./message.cursor.ts";
import { sendMessageInputSchema } from "./message.input.ts";
import { MESSAGE_COLUMNS } from "./message.loader.ts";

export interface SendMessageRequest {
  conversationId: string;
  body: string;
  clientMessageId: string;
}

/** What `send` answers: the message, and the conversation when this request stored it. */
export interface SentMessage {
  message: MessageRow;
  /**
   * The conversation as storing the message left it: null when the message was stored earlier
   * (a retry), whose conversation and read state may have moved since.
   */
  storedIn: ConversationRow | null;
}

export interface MessageServiceDeps {
  prisma: PrismaClient;
  conversations: ConversationService;
  live: LivePubSub;
  logger: Logger;
}

/** Messages: sending them (idempotently, then live to both people) and paging through them. */
export class MessageService {
  constructor(private readonly deps: MessageServiceDeps) {}

  /**
   * Stores a message from the viewer and, once committed, publishes it live to both people.
   * The same (sender, clientMessageId) again returns the stored message, also when both requests
   * race; with another conversation or body it is a CONFLICT.
   *
   * @throws BAD_USER_INPUT on `input.body` (trimmed, 1..2000 characters) or
   * `input.clientMessageId`; NOT_FOUND for an unknown conversation; FORBIDDEN for someone else's
   * or a closed one; CONFLICT for a reused clientMessageId.
   */
  async send(viewer: Viewer, input: SendMessageRequest): Promise<SentMessage> {
    const request = parseInput(sendMessageInputSchema, input, "input");
    if (!isUuid(request.conversationId)) throw notFound("No such conversation");
    let raced: unknown;
    try {
      const stored = await this.insert(viewer.id, request);
      if (stored) {
        // Published (committed first), not awaited: the answer need not wait for Redis's reply,
        // and the gateway fetches what the answer and the events need (the sender's card)
        // meanwhile.
        void this.announce(stored.conversation, stored.message);
        return { message: stored.message, storedIn: stored.conversation };
      }
    } catch (error) {
      // The same request raced us and committed first: its message is read below.
      if (!isUniqueViolation(error)) throw error;
      raced = error;
    }
    // Nothing stored: a retry, or a conversation the viewer may not write to. Read which.
    const [earlier, found] = await Promise.all([
      this.findSent(viewer.id, request.clientMessageId),
      this.deps.conversations.find(request.conversationId),
    ]);
    if (earlier) return { message: sameRequest(earlier, request), storedIn: null };
    requireWritable(found, viewer.id);
    throw raced ?? forbidden("This conversation is closed");
  }

  /**
   * A page of a conversation's messages, newest first. The caller has checked that the viewer
   * may read the conversation.
   *
   * @throws BAD_USER_INPUT on `after` for a cursor we did not make or of another conversation.
   */
  async page(
    conversation: ConversationRow,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<MessageRow>> {
    const size = pageSize(first);
    const position = after ? decodeMessageCursor(after) : undefined;
    if (position && position.conversationId !== conversation.id) {
      throw badUserInput("after", "The cursor belongs to another conversation");
    }
    const rows = await this.deps.prisma.message.findMany({
      where: { conversationId: conversation.id, ...(position && { seq: { lt: position.seq } }) },
      orderBy: { seq: "desc" },
      take: size + 1,
    });
    return toConnection(rows, size, messagePosition);
  }

  private findSent(senderId: string, clientMessageId: string): Promise<MessageRow | null> {
    return this.deps.prisma.message.findUnique({
      where: { senderId_clientMessageId: { senderId, clientMessageId } },
    });
  }

  /**
   * Stores the message in one statement, so one round trip and no interactive transaction
   * (whose start can time out under load), unless the sender already used this clientMessageId
   * or may not write to the conversation (theirs and open): then it stores nothing and answers
   * null. Numbering the message takes the conversation's row lock, held until the statement
   * commits, so the next sender waits and seq order is commit order; the lock's update also
   * refuses a conversation closed meanwhile. Then, under that lock, it takes the next place in
   * both people's feeds, locking their counters in user-id order (userLow first), the one order
   * every sender takes them in, so two sends never wait on each other in a cycle. Both people's
   * activity and the other's unread counter move in the same statement, and it answers the
   * conversation as the message left it.
   */
  private async insert(
    senderId: string,
    request: SendMessageRequest,
  ): Promise<{ message: MessageRow; conversation: ConversationRow } | null> {
    const [row] = await this.deps.prisma.$queryRaw<StoredRow[]>`${PREPARED}
      WITH numbered AS (
        UPDATE chat.conversation SET last_seq = last_seq + 1
        WHERE id = ${request.conversationId}::uuid AND closed_at IS NULL
          AND ${senderId}::uuid IN (user_low, user_high)
          AND NOT EXISTS (
            SELECT FROM chat.message
            WHERE sender_id = ${senderId}::uuid AND client_message_id = ${request.clientMessageId}
          )
        RETURNING *, clock_timestamp() AS sent_at
      ), placed AS (
        INSERT INTO chat.feed_counter AS counter (user_id, last_position)
        SELECT user_low, 1 FROM numbered UNION ALL SELECT user_high, 1 FROM numbered
        ON CONFLICT (user_id) DO UPDATE SET last_position = counter.last_position + 1
        RETURNING user_id, last_position
      ), stored AS (
        INSERT INTO chat.message (id, conversation_id, seq, sender_id, client_message_id, body,
                                  sent_at, sender_position, recipient_id, recipient_position)
        SELECT ${randomUUID()}::uuid, numbered.id, last_seq, ${senderId}::uuid,
               ${request.clientMessageId}, ${request.body}, sent_at, sender.last_position,
               recipient.user_id, recipient.last_position
        FROM numbered
        JOIN placed AS sender ON sender.user_id = ${senderId}::uuid
        JOIN placed AS recipient ON recipient.user_id <> ${senderId}::uuid
        RETURNING *
      ), activity AS (
        UPDATE chat.conversation_participant AS participant
        SET last_activity_at = stored.sent_at,
            unread_count = participant.unread_count
              + CASE WHEN participant.user_id = stored.sender_id THEN 0 ELSE 1 END
        FROM stored
        WHERE participant.conversation_id = stored.conversation_id
      )
      SELECT ${MESSAGE_COLUMNS}, numbered.match_id AS "matchId",
             numbered.user_low AS "userLow", numbered.user_high AS "userHigh",
             numbered.created_at AS "createdAt", numbered.last_seq AS "lastSeq",
             numbered.closed_at AS "closedAt", numbered.closed_reason AS "closedReason"
      FROM stored AS m JOIN numbered ON numbered.id = m.conversation_id`;
    if (!row) return null;
    const { matchId, userLow, userHigh, createdAt, lastSeq, closedAt, closedReason, ...message } =
      row;
    const id = message.conversationId;
    const conversation = {
      id,
      matchId,
      userLow,
      userHigh,
      createdAt,
      lastSeq,
      closedAt,
      closedReason,
    };
    return { message, conversation };
  }

  /**
   * Publishes a committed message to both people's live topics. Not durable: a failure is
   * logged, the message stands (and a reconnecting client replays it with `after`).
   */
  private async announce(conversation: ConversationRow, message: MessageRow): Promise<void> {
    const { live, logger } = this.deps;
    const payload = toLive(message, conversation);
    await Promise.all(
      [conversation.userLow, conversation.userHigh].map((userId) =>
        live.publish(messageAddedTopic(userId), payload),
      ),
    ).catch((error: unknown) =>
      logger.warn({ err: error, messageId: message.id }, "live message failed"),
    );
  }
}

/** What storing a message answers: the message and its conversation's columns, in one row. */
type StoredRow = MessageRow & Omit<ConversationRow, "id">;

/**
 * The stored message when a request repeats it exactly.
 *
 * @throws CONFLICT on `input.clientMessageId` when it named another conversation or body.
 */
function sameRequest(message: MessageRow, request: SendMessageRequest): MessageRow {
  if (message.conversationId !== request.conversationId || message.body !== request.body) {
    throw conflict("clientMessageId was already used for another message", "input.clientMessageId");
  }
  return message;
}
