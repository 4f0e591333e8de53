import {
  Prisma,
  type Conversation as ConversationRow,
  type Message as MessageRow,
} from "@pulse/db";
import { badUserInput, type Viewer } from "@pulse/platform/server";
import {
  PREPARED,
  replayNumbered,
  type LivePubSub,
  type PrismaClient,
} from "@pulse/platform/subgraph";
import type { ConversationService } from "../conversation/conversation.service.ts";
import {
  feedPosition,
  messageAddedTopic,
  toLive,
  type LiveMessage,
} from "./message-added.topic.ts";
import { decodeMessageCursor, type MessagePosition } from "./message.cursor.ts";
import { MESSAGE_COLUMNS, readTimes } from "./message.loader.ts";

export interface MessageFeedDeps {
  prisma: PrismaClient;
  conversations: ConversationService;
  live: LivePubSub;
  /** Messages a replay or a catch-up reads per page (default {@link REPLAY_PAGE_SIZE}). */
  replayPageSize?: number;
}

/**
 * Messages per page of a replay: a subscriber back after a long absence is sent its backlog a
 * page at a time, each read once the one before is on its way, so chat holds one page of it.
 */
const REPLAY_PAGE_SIZE = 500;

/**
 * The order a subscription follows, in which every message has a number: contiguous from 1 and
 * in commit order, so the number alone tells whether one was missed. A conversation's `seq`, or
 * a person's feed position (see the FeedCounter model).
 */
interface Numbering {
  numberOf(message: LiveMessage): bigint;
  /** Where a subscriber starts: the number of the `cursor`'s message, or the last handed out. */
  start(cursor: MessagePosition | undefined): Promise<bigint>;
  /**
   * The number of the last message sent before `since` (0 if none). Messages are numbered as
   * they are sent, so those that follow were sent, and committed, at about `since` or later (a
   * transaction's length; `SUBSCRIBED_AT_MARGIN_MS` covers it).
   */
  sentBefore(since: Date): Promise<bigint>;
  /** The last number handed out, as committed now. */
  lastMade(): Promise<bigint>;
  /** Up to a page of the messages numbered after `last`, in order, with their facts. */
  after(last: bigint): Promise<LiveMessage[]>;
}

/** `messageAdded`: new messages of the viewer's conversations, live, after an optional replay. */
export class MessageFeed {
  private readonly pageSize: number;

  constructor(private readonly deps: MessageFeedDeps) {
    this.pageSize = deps.replayPageSize ?? REPLAY_PAGE_SIZE;
  }

  /**
   * The viewer's new messages (of one conversation, in seq order, or all of theirs, in the order
   * of their feed). With `after`, first the messages after that cursor, then live ones, with no
   * gap and no duplicate. Without it but with `since` (when the subscriber asked, as the gateway
   * tells), first the messages sent since then, so none committed while the subscription was
   * being set up is lost.
   *
   * Each message is published after its commit by whichever replica stored it, so one can arrive
   * before another that committed earlier. Since numbers follow commit order, a live message
   * whose number is past the next one expected means those between have committed: they are
   * read from Postgres and emitted first, and their late live copies skipped.
   *
   * @throws NOT_FOUND / FORBIDDEN for a conversation the viewer may not read (see
   * `ConversationService.get`); BAD_USER_INPUT on `after` for a cursor we did not make, of
   * another conversation than `conversationId`, or not of one of the viewer's messages.
   */
  async subscribe(
    viewer: Viewer,
    conversationId: string | null | undefined,
    after: string | null | undefined,
    since?: Date,
  ): Promise<AsyncIterableIterator<LiveMessage>> {
    const conversation = conversationId
      ? await this.deps.conversations.get(viewer, conversationId)
      : undefined;
    const cursor = after ? decodeMessageCursor(after) : undefined;
    if (cursor && conversation && cursor.conversationId !== conversation.id) {
      throw badUserInput("after", "The cursor belongs to another conversation");
    }
    const numbering = conversation
      ? this.conversationNumbering(conversation)
      : this.feedNumbering(viewer);
    // Read before subscribing: what is stored meanwhile is read once the subscription took.
    const start = await (!cursor && since ? numbering.sentBefore(since) : numbering.start(cursor));
    return replayNumbered({
      live: await this.deps.live.subscribe<LiveMessage>(messageAddedTopic(viewer.id)),
      start,
      lastMade: numbering.lastMade,
      numberOf: numbering.numberOf,
      after: numbering.after,
      pageSize: this.pageSize,
      include: conversation && ((message) => message.conversationId === conversation.id),
    });
  }

  /** A conversation by seq; without a cursor it starts after the newest message `get` read. */
  private conversationNumbering(conversation: ConversationRow): Numbering {
    return {
      numberOf: (message) => BigInt(message.seq),
      start: async (cursor) => cursor?.seq ?? conversation.lastSeq,
      sentBefore: (since) => this.seqSentBefore(conversation.id, since),
      lastMade: () => this.lastSeq(conversation.id),
      after: (seq) => this.conversationAfter(conversation, seq),
    };
  }

  /** The viewer's feed: every message of their conversations, by position. */
  private feedNumbering(viewer: Viewer): Numbering {
    return {
      numberOf: (message) => feedPosition(viewer.id, message),
      start: (cursor) =>
        cursor ? this.feedPositionAt(viewer.id, cursor) : this.feedEnd(viewer.id),
      sentBefore: (since) => this.feedPositionSentBefore(viewer.id, since),
      lastMade: () => this.feedEnd(viewer.id),
      after: (position) => this.feedAfter(viewer.id, position),
    };
  }

  /**
   * The cursor's message's position in the person's feed.
   *
   * @throws BAD_USER_INPUT on `after` when it is not a message of theirs.
   */
  private async feedPositionAt(userId: string, cursor: MessagePosition): Promise<bigint> {
    const message = await this.deps.prisma.message.findUnique({
      where: { conversationId_seq: cursor },
      select: { senderId: true, senderPosition: true, recipientId: true, recipientPosition: true },
    });
    if (!message || (message.senderId !== userId && message.recipientId !== userId)) {
      throw badUserInput("after", "The cursor is not of one of your messages");
    }
    return feedPosition(userId, message);
  }

  /** The last position handed out in the person's feed (0 before their first message). */
  private async feedEnd(userId: string): Promise<bigint> {
    const [counter] = await this.deps.prisma.$queryRaw<{ lastPosition: bigint }[]>`${PREPARED}
      SELECT last_position AS "lastPosition" FROM chat.feed_counter WHERE user_id = ${userId}::uuid`;
    return counter?.lastPosition ?? 0n;
  }

  /**
   * The seq of the conversation's newest message sent before `since` (0 if none), read back from
   * its newest along the (conversation, seq) index.
   */
  private async seqSentBefore(conversationId: string, since: Date): Promise<bigint> {
    const [message] = await this.deps.prisma.$queryRaw<{ seq: bigint }[]>`${PREPARED}
      SELECT seq FROM chat.message
      WHERE conversation_id = ${conversationId}::uuid AND sent_at < ${since.toISOString()}::timestamptz
      ORDER BY seq DESC LIMIT 1`;
    return message?.seq ?? 0n;
  }

  /**
   * The position of the person's newest message sent before `since` (0 if none): the later of
   * the two halves of their feed, each read back from its newest along its index.
   */
  private async feedPositionSentBefore(userId: string, since: Date): Promise<bigint> {
    const [found] = await this.deps.prisma.$queryRaw<{ position: bigint | null }[]>`${PREPARED}
      SELECT GREATEST(
        (SELECT sender_position FROM chat.message
         WHERE sender_id = ${userId}::uuid AND sent_at < ${since.toISOString()}::timestamptz
         ORDER BY sender_position DESC LIMIT 1),
        (SELECT recipient_position FROM chat.message
         WHERE recipient_id = ${userId}::uuid AND sent_at < ${since.toISOString()}::timestamptz
         ORDER BY recipient_position DESC LIMIT 1)) AS position`;
    return found?.position ?? 0n;
  }

  /** The seq of the conversation's newest message (0 before its first). */
  private async lastSeq(conversationId: string): Promise<bigint> {
    const [conversation] = await this.deps.prisma.$queryRaw<{ lastSeq: bigint }[]>`${PREPARED}
      SELECT last_seq AS "lastSeq" FROM chat.conversation WHERE id = ${conversationId}::uuid`;
    return conversation?.lastSeq ?? 0n;
  }

  /** A page of `conversation`'s messages after `seq`, with their facts. */
  private async conversationAfter(
    conversation: ConversationRow,
    seq: bigint,
  ): Promise<LiveMessage[]> {
    const messages = await this.deps.prisma.message.findMany({
      where: { conversationId: conversation.id, seq: { gt: seq } },
      orderBy: { seq: "asc" },
      take: this.pageSize,
    });
    return this.withFacts(messages, conversation);
  }

  /**
   * A page of the person's feed after `position`, leaving out conversations that left their
   * list (unmatch, block): the two halves of it (sent, received), each read in order along its
   * index, merged. Three statements with the facts, however many messages.
   */
  private async feedAfter(userId: string, position: bigint): Promise<LiveMessage[]> {
    const limit = this.pageSize;
    const listed = Prisma.sql`EXISTS (
      SELECT FROM chat.conversation_participant AS participant
      WHERE participant.conversation_id = m.conversation_id
        AND participant.user_id = ${userId}::uuid AND participant.hidden_at IS NULL)`;
    const messages = await this.deps.prisma.$queryRaw<MessageRow[]>`
      SELECT ${MESSAGE_COLUMNS} FROM (
        (SELECT m.*, m.sender_position AS position FROM chat.message AS m
         WHERE m.sender_id = ${userId}::uuid AND m.sender_position > ${position} AND ${listed}
         ORDER BY m.sender_position LIMIT ${limit})
        UNION ALL
        (SELECT m.*, m.recipient_position FROM chat.message AS m
         WHERE m.recipient_id = ${userId}::uuid AND m.recipient_position > ${position} AND ${listed}
         ORDER BY m.recipient_position LIMIT ${limit})
      ) AS m
      ORDER BY position LIMIT ${limit}`;
    return this.withFacts(messages, undefined);
  }

  /** The messages with their conversations (`conversation`, when they are all of it) and read times. */
  private async withFacts(
    messages: MessageRow[],
    conversation: ConversationRow | undefined,
  ): Promise<LiveMessage[]> {
    if (messages.length === 0) return [];
    const { prisma } = this.deps;
    const [conversations, reads] = await Promise.all([
      conversation
        ? [conversation]
        : prisma.conversation.findMany({
            where: { id: { in: [...new Set(messages.map((message) => message.conversationId))] } },
          }),
      readTimes(
        prisma,
        messages.map((message) => message.id),
      ),
    ]);
    const conversationById = new Map(conversations.map((row) => [row.id, row]));
    const readAtById = new Map(reads.map((row) => [row.id, row.readAt]));
    return messages.map((message) =>
      toLive(
        message,
        conversationById.get(message.conversationId),
        readAtById.get(message.id) ?? null,
      ),
    );
  }
}
