import type {
  Conversation as ConversationRow,
  ConversationParticipant as ParticipantRow,
} from "@pulse/db";
import { createKeyedLoader, isUuid, type PrismaClient } from "@pulse/platform/subgraph";

/** What chat's loaders are made from: the database and whose request it is. */
export interface ChatLoaderDeps {
  prisma: PrismaClient;
  viewerId: string | undefined;
}

/** Request-scoped conversation loaders, each one statement per batch. */
export const conversationLoaders = {
  /** Conversations by id; ids that are not UUIDs find nothing. */
  conversation: ({ prisma }: ChatLoaderDeps) =>
    createKeyedLoader<string, ConversationRow>(
      (ids) => prisma.conversation.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
      (conversation) => conversation.id,
    ),
  /** Conversations by match id. */
  conversationByMatch: ({ prisma }: ChatLoaderDeps) =>
    createKeyedLoader<string, ConversationRow>(
      (ids) => prisma.conversation.findMany({ where: { matchId: { in: ids.filter(isUuid) } } }),
      (conversation) => conversation.matchId,
    ),
  /** The viewer's side (unread counter, read marker) of conversations, by conversation id. */
  participation: ({ prisma, viewerId }: ChatLoaderDeps) =>
    createKeyedLoader<string, ParticipantRow>(
      async (ids) =>
        viewerId
          ? prisma.conversationParticipant.findMany({
              where: { userId: viewerId, conversationId: { in: ids.filter(isUuid) } },
            })
          : [],
      (participant) => participant.conversationId,
    ),
};
