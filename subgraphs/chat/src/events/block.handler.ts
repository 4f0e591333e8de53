import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import { closeConversations } from "../conversation/conversation-lifecycle.service.ts";

/**
 * A block, either way, closes the pair's conversation for both (discovery's `match.ended` says
 * the same later; whichever comes first closes it). Lifting the block does not reopen it.
 */
export async function closeBlockedConversation(
  event: DomainEvent<"user.blocked">,
  tx: PrismaTransaction,
): Promise<void> {
  const { blockerId, blockedId, at } = event.payload;
  await closeConversations(
    tx,
    {
      OR: [
        { userLow: blockerId, userHigh: blockedId },
        { userLow: blockedId, userHigh: blockerId },
      ],
    },
    "BLOCKED",
    new Date(at),
  );
}
