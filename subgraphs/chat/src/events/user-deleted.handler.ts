import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import { closeConversations } from "../conversation/conversation-lifecycle.service.ts";

/**
 * A deleted account closes its open conversations. Their messages stay: the other person keeps
 * the conversation, read-only, with the deleted person still the messages' sender (by id). The
 * deleted person's feed counter goes: nothing is stored in a closed conversation.
 */
export async function closeDeletedUsersConversations(
  event: DomainEvent<"user.deleted">,
  tx: PrismaTransaction,
): Promise<void> {
  const { userId } = event.payload;
  // `hiddenAt: null` matches the partial list index; every open conversation's sides have it.
  await closeConversations(
    tx,
    { participants: { some: { userId, hiddenAt: null } } },
    "USER_DELETED",
    new Date(),
  );
  // After closing: a message stored meanwhile holds the counter (and the conversation) until
  // it commits, and none can be stored once the conversation is closed.
  await tx.feedCounter.deleteMany({ where: { userId } });
}
