import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import { openConversation } from "../conversation/conversation-lifecycle.service.ts";

/** A new match opens its conversation. */
export async function openMatchConversation(
  event: DomainEvent<"match.created">,
  tx: PrismaTransaction,
): Promise<void> {
  const { matchId, userIds, matchedAt } = event.payload;
  await openConversation(tx, { matchId, userIds, at: matchedAt });
}
