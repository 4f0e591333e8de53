import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";

/**
 * Applies billing's `membership.changed` snapshot: the person's tier (likes received, daily
 * limits) follows within seconds of Stripe's webhook, without a new sign-in. Only a snapshot
 * newer than the one applied counts (events arrive late and out of order); the snapshot is kept
 * apart from the candidate row, so it also holds for a profile created afterwards.
 */
export async function applyMembershipSnapshot(
  event: DomainEvent<"membership.changed">,
  tx: PrismaTransaction,
): Promise<void> {
  const { userId, version, isPremium } = event.payload;
  const applied = await tx.$executeRaw`
    INSERT INTO discovery.membership AS m (user_id, is_premium, version)
    VALUES (${userId}::uuid, ${isPremium}, ${version}::int)
    ON CONFLICT (user_id) DO UPDATE SET
      is_premium = EXCLUDED.is_premium, version = EXCLUDED.version, updated_at = now()
    WHERE m.version < EXCLUDED.version`;
  if (applied === 0) return;
  await tx.candidate.updateMany({
    where: { userId },
    data: { tier: isPremium ? "PREMIUM" : "FREE" },
  });
}
