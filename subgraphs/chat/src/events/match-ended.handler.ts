import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import {
  closeConversations,
  openConversation,
} from "../conversation/conversation-lifecycle.service.ts";

/**
 * An ended match closes its conversation, keeping the reason. Each event type has its own
 * stream, so `match.ended` may be handled before its `match.created`: the conversation is then
 * opened here (and closed at once), and the late `match.created` finds it.
 */
export async function closeMatchConversation(
  event: DomainEvent<"match.ended">,
  tx: PrismaTransaction,
): Promise<void> {
  const { matchId, userIds, endedAt, reason } = event.payload;
  await openConversation(tx, { matchId, userIds, at: endedAt });
  await closeConversations(tx, { matchId }, reason, new Date(endedAt));
}
