import type { AfterCommit, DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import { removeParticipant } from "../competition/competition.service.ts";
import type { CompetitionsServices } from "../context.ts";

/**
 * A paid entry was refunded: it is no longer paid, and the person leaves the competition (unless
 * another paid entry of theirs still holds their place). A refund that arrives before its
 * payment is recorded, so the late `entry.paid` finds it and seats nobody.
 */
export function removeRefundedEntry(services: CompetitionsServices) {
  return async (
    event: DomainEvent<"entry.refunded">,
    tx: PrismaTransaction,
  ): Promise<void | AfterCommit> => {
    const { paymentId, competitionId, userId } = event.payload;
    await tx.competitionEntry.upsert({
      where: { paymentId },
      create: { paymentId, competitionId, userId, status: "REFUNDED" },
      update: { status: "REFUNDED", updatedAt: new Date() },
    });
    const stillPaid = await tx.competitionEntry.findFirst({
      where: { competitionId, userId, status: "PAID" },
      select: { paymentId: true },
    });
    if (stillPaid) return;
    // The competition's row lock keeps its places count exact against concurrent joins.
    await tx.$executeRaw`SELECT 1 FROM competitions.competition WHERE id = ${competitionId}::uuid FOR UPDATE`;
    const write = await removeParticipant(tx, competitionId, userId);
    if (write) return () => services.index.applyQuietly(competitionId, [write]);
  };
}
