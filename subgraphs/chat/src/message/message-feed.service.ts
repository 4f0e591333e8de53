import type { Conversation as ConversationRow, Message as MessageRow } from "@pulse/db";
import {
  badUserInput,
  replayThenLive,
  type LivePubSub,
  type PrismaClient,
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
}

/** `messageAdded`: new messages of the viewer's conversations, live, after an optional replay. */
export class MessageFeed {
  constructor(private readonly deps: MessageFeedDeps) {}

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
      replay: async () => (position ? this.replay(viewer, position, conversation) : []),
      keyOf: (message) => message.id,
      include: (message) =>
        (!conversationId || message.conversationId === conversationId) &&
        (!position || isAfter(position, fromLive(message))),
    });
  }

  /**
   * The messages after `position` in the viewer's `conversation` (already read and checked), or
   * in all their readable ones, each with its conversation and read time: two or three
   * statements, however many messages.
   */
  private async replay(
    viewer: Viewer,
    position: MessagePosition,
    conversation: ConversationRow | undefined,
  ): Promise<LiveMessage[]> {
    const { prisma } = this.deps;
    const messages = await this.missed(viewer, position, conversation?.id);
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
    position: MessagePosition,
    conversationId: string | undefined,
  ): Promise<MessageRow[]> {
    if (conversationId) {
      return this.deps.prisma.message.findMany({
        where: { conversationId, seq: { gt: position.seq } },
        orderBy: { seq: "asc" },
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
      },
      orderBy: [{ sentAt: "asc" }, { conversationId: "asc" }, { seq: "asc" }],
    });
  }
}
