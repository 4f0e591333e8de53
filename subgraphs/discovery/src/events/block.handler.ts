import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import type { MatchService } from "../match/match.service.ts";
import { orderedPair } from "../user/user.rules.ts";

/**
 * Applies `user.blocked` / `user.unblocked` to the pair's block state, ordered by the events'
 * `at`: a late event older than the state held changes nothing. A block that applies also ends
 * the pair's match (`match.ended`, BLOCKED); lifting it does not bring the match back.
 */
export async function applyBlockChange(
  event: DomainEvent<"user.blocked" | "user.unblocked">,
  tx: PrismaTransaction,
  matches: MatchService,
): Promise<void> {
  const { blockerId, blockedId, at } = event.payload;
  const active = event.type === "user.blocked";
  const applied = await tx.$executeRaw`
    INSERT INTO discovery.block AS b (blocker_id, blocked_id, active, at)
    VALUES (${blockerId}::uuid, ${blockedId}::uuid, ${active}, ${at}::timestamptz)
    ON CONFLICT (blocker_id, blocked_id) DO UPDATE SET active = EXCLUDED.active, at = EXCLUDED.at
    WHERE b.at < EXCLUDED.at`;
  if (applied > 0 && active) {
    const [userLow, userHigh] = orderedPair(blockerId, blockedId);
    await matches.end(tx, { userLow, userHigh }, "BLOCKED");
  }
}
