import type { PrismaTransaction } from "@pulse/platform/subgraph";

/**
 * Serialises work on one Stripe object (a subscription, a payment) until the transaction ends:
 * whoever reads the object from Stripe after taking the lock commits after the one before it,
 * so the newest read is the one that stays.
 */
export async function lockStripeObject(tx: PrismaTransaction, key: string): Promise<void> {
  await tx.$executeRawUnsafe(
    `SELECT pg_advisory_xact_lock(hashtextextended($1, 23))`,
    `billing:${key}`,
  );
}
