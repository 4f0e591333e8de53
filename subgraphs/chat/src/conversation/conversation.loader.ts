import type {
  Conversation as ConversationRow,
  ConversationParticipant as ParticipantRow,
} from "@pulse/db";
import { createKeyedLoader, isUuid, type PrismaClient } from "@pulse/platform";

/** How to make request-scoped conversation loaders for `viewerId`, each one statement per batch. */
export function conversationLoaders(prisma: PrismaClient, viewerId: string | undefined) {
  return {
    /** Conversations by id; ids that are not UUIDs find nothing. */
    conversation: () =>
      createKeyedLoader<string, ConversationRow>(
        (ids) => prisma.conversation.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
        (conversation) => conversation.id,
      ),
    /** Conversations by match id. */
    conversationByMatch: () =>
      createKeyedLoader<string, ConversationRow>(
        (ids) => prisma.conversation.findMany({ where: { matchId: { in: ids.filter(isUuid) } } }),
        (conversation) => conversation.matchId,
      ),
    /** The viewer's side (unread counter, read marker) of conversations, by conversation id. */
    participation: () =>
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
}
