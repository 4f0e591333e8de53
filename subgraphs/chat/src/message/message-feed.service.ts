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
import {
  conversationOf,
  fromLive,
  messageAddedTopic,
  toLive,
  type LiveMessage,
} from "./message-added.topic.ts";
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
    const emitted = new EmittedSeqs(position);
    return replayThenLive({
      // Subscribed (Redis confirmed) before the replay is read: no gap between the two.
      live: await live.subscribe<LiveMessage>(messageAddedTopic(viewer.id)),
      replayPage: async (last) =>
        position
          ? this.replayPage(viewer, { position, last: last && fromLive(last) }, conversation)
          : [],
      pageSize: this.pageSize,
      memory: emitted,
      include: (message) =>
        (!conversationId || message.conversationId === conversationId) &&
        (!position || isAfter(position, fromLive(message))),
      catchUp: (message) => this.catchUp(emitted, message),
    });
  }

  /**
   * The messages stored between the last one emitted of `message`'s conversation and it, when
   * it arrives before them: each message is published after its commit by whichever replica
   * stored it, so seq 6 can arrive before seq 5. Since seq order is commit order, 6 committed
   * means 5 did: it is read and emitted first, and its own live copy skipped when it comes.
   */
  private catchUp(
    emitted: EmittedSeqs,
    message: LiveMessage,
  ): LiveMessage[] | Promise<LiveMessage[]> {
    const lastEmitted = emitted.holeBefore(message);
    if (lastEmitted === undefined) return [];
    const conversation = conversationOf(message);
    if (!conversation) return [];
    return this.after(conversation, lastEmitted);
  }

  /** A page of `conversation`'s messages after `seq`, with their facts. */
  private async after(conversation: ConversationRow, seq: bigint): Promise<LiveMessage[]> {
    const messages = await this.deps.prisma.message.findMany({
      where: { conversationId: conversation.id, seq: { gt: seq } },
      orderBy: { seq: "asc" },
      take: this.pageSize,
    });
    return this.withFacts(messages, conversation);
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
    if (conversation) return this.after(conversation, (from.last ?? from.position).seq);
    return this.withFacts(await this.missedAcross(viewer, from), undefined);
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

  /** A page of the messages after `position` across the viewer's readable conversations. */
  private missedAcross(viewer: Viewer, { position, last }: ReplayFrom): Promise<MessageRow[]> {
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
      take: this.pageSize,
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
 * What a subscription emitted of each conversation, as a run of seqs: within a conversation seq
 * is commit order, and a replay or a catch-up reads it in that order, so a run is all it takes
 * to tell a live copy of a message emitted already (skipped) from one that arrived ahead of
 * others (caught up). Bounded by the viewer's conversations, not by how many messages came.
 *
 * A run read from Postgres (and the conversation of the subscriber's own cursor) starts at the
 * conversation's first message. One started by a live message starts at that message: what came
 * just before it may still be on its way, and is emitted when it arrives, late.
 */
class EmittedSeqs implements ReplayMemory<LiveMessage> {
  private readonly runs = new Map<string, { from: bigint; to: bigint }>();

  /** `cursor`: where the subscriber resumes, everything of its conversation up to it theirs. */
  constructor(cursor: MessagePosition | undefined) {
    if (cursor) this.runs.set(cursor.conversationId, { from: 0n, to: cursor.seq });
  }

  remember(message: LiveMessage, from: "replay" | "live"): void {
    const seq = BigInt(message.seq);
    const run = this.runs.get(message.conversationId);
    if (!run) {
      this.runs.set(message.conversationId, { from: from === "replay" ? 0n : seq, to: seq });
      return;
    }
    if (seq === run.from - 1n) run.from = seq;
    if (seq > run.to) run.to = seq;
  }

  replayed(message: LiveMessage): boolean {
    const seq = BigInt(message.seq);
    const run = this.runs.get(message.conversationId);
    return run !== undefined && seq >= run.from && seq <= run.to;
  }

  /** The last seq emitted of `message`'s conversation, when some between it and `message` were not. */
  holeBefore(message: LiveMessage): bigint | undefined {
    const run = this.runs.get(message.conversationId);
    return run && BigInt(message.seq) > run.to + 1n ? run.to : undefined;
  }
}
