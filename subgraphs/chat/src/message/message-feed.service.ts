import type { Conversation as ConversationRow, Message as MessageRow } from "@pulse/db";
import {
  badUserInput,
  replayThenLive,
  type LivePubSub,
  type PrismaClient,
  type ReplayMemory,
  type Viewer,
} from "@pulse/platform";
import type { ConversationService } from "../conversation/conversation.service.ts";
import { fromLive, messageAddedTopic, toLive, type LiveMessage } from "./message-added.topic.ts";
import { decodeMessageCursor, isAfter, type MessagePosition } from "./message-cursor.ts";
import { readTimes } from "./message.loader.ts";

export interface MessageFeedDeps {
  prisma: PrismaClient;
  conversations: ConversationService;
  live: LivePubSub;
  /** Messages a replay reads per page (default {@link REPLAY_PAGE_SIZE}). */
  replayPageSize?: number;
}

/**
 * Messages per page of a replay: a subscriber back after a long absence is sent its backlog a
 * page at a time, each read once the one before is on its way, so chat holds one page of it.
 */
const REPLAY_PAGE_SIZE = 500;

/** `messageAdded`: new messages of the viewer's conversations, live, after an optional replay. */
export class MessageFeed {
  private readonly pageSize: number;

  constructor(private readonly deps: MessageFeedDeps) {
    this.pageSize = deps.replayPageSize ?? REPLAY_PAGE_SIZE;
  }

  /**
   * The viewer's new messages (of one conversation, or all of theirs). With `after`, first the
   * messages after that cursor, then live ones, with no gap and no duplicate.
   *
   * @throws NOT_FOUND / FORBIDDEN for a conversation the viewer may not read (see
   * `ConversationService.get`); BAD_USER_INPUT on `after` for a cursor we did not make or of
   * another conversation than `conversationId`.
   */
  async subscribe(
    viewer: Viewer,
    conversationId: string | null | undefined,
    after: string | null | undefined,
  ): Promise<AsyncIterableIterator<LiveMessage>> {
    const conversation = conversationId
      ? await this.deps.conversations.get(viewer, conversationId)
      : undefined;
    const position = after ? decodeMessageCursor(after) : undefined;
    if (position && conversationId && position.conversationId !== conversationId) {
      throw badUserInput("after", "The cursor belongs to another conversation");
    }
    const { live } = this.deps;
    return replayThenLive({
      // Subscribed (Redis confirmed) before the replay is read: no gap between the two.
      live: await live.subscribe<LiveMessage>(messageAddedTopic(viewer.id)),
      replayPage: async (last) =>
        position
          ? this.replayPage(viewer, { position, last: last && fromLive(last) }, conversation)
          : [],
      pageSize: this.pageSize,
      memory: rememberSeqs(),
      include: (message) =>
        (!conversationId || message.conversationId === conversationId) &&
        (!position || isAfter(position, fromLive(message))),
    });
  }

  /**
   * A page of the messages after `position` in the viewer's `conversation` (already read and
   * checked), or in all their readable ones, continuing after `last`; each with its
   * conversation and read time: two or three statements per page, however many messages.
   */
  private async replayPage(
    viewer: Viewer,
    from: ReplayFrom,
    conversation: ConversationRow | undefined,
  ): Promise<LiveMessage[]> {
    const { prisma } = this.deps;
    const messages = await this.missed(viewer, from, conversation?.id);
    if (messages.length === 0) return [];
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

  private missed(
    viewer: Viewer,
    { position, last }: ReplayFrom,
    conversationId: string | undefined,
  ): Promise<MessageRow[]> {
    const take = this.pageSize;
    if (conversationId) {
      return this.deps.prisma.message.findMany({
        where: { conversationId, seq: { gt: (last ?? position).seq } },
        orderBy: { seq: "asc" },
        take,
      });
    }
    return this.deps.prisma.message.findMany({
      where: {
        conversation: {
          participants: { some: { userId: viewer.id, hiddenAt: null } },
        },
        OR: [
          { conversationId: position.conversationId, seq: { gt: position.seq } },
          { conversationId: { not: position.conversationId }, sentAt: { gte: position.sentAt } },
        ],
        ...(last && { AND: laterInReplayOrder(last) }),
      },
      orderBy: [{ sentAt: "asc" }, { conversationId: "asc" }, { seq: "asc" }],
      take,
    });
  }
}

/** Where a replay page starts: after the subscriber's `position`, and after `last` replayed. */
interface ReplayFrom {
  position: MessagePosition;
  last: MessagePosition | undefined;
}

/** The messages after `last` in a replay of all conversations: by sentAt, conversation, seq. */
function laterInReplayOrder(last: MessagePosition) {
  return {
    OR: [
      { sentAt: { gt: last.sentAt } },
      { sentAt: last.sentAt, conversationId: { gt: last.conversationId } },
      { sentAt: last.sentAt, conversationId: last.conversationId, seq: { gt: last.seq } },
    ],
  };
}

/**
 * Remembers a replay as the highest seq it emitted per conversation. Within a conversation seq
 * is commit order and a replay reads it in that order, so a live message at or below the mark
 * was replayed. Bounded by the viewer's conversations, not by how many messages they missed.
 */
function rememberSeqs(): ReplayMemory<LiveMessage> {
  const highest = new Map<string, bigint>();
  return {
    remember: (message) => {
      const seq = BigInt(message.seq);
      const mark = highest.get(message.conversationId);
      if (mark === undefined || seq > mark) highest.set(message.conversationId, seq);
    },
    replayed: (message) => {
      const mark = highest.get(message.conversationId);
      return mark !== undefined && BigInt(message.seq) <= mark;
    },
  };
}
