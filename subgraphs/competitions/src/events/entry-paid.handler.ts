import type { AfterCommit, DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import type { CompetitionsServices } from "../context.ts";

/**
 * Billing confirmed an entry fee: the entry is paid, and the person takes their place. If the
 * competition filled up or finished meanwhile, competitions declines the entry (`entry.declined`)
 * and billing refunds it. A payment already refunded (events travel on separate streams, so the
 * refund may arrive first) stays refunded.
 */
export function seatPaidEntry(services: CompetitionsServices) {
  return async (
    event: DomainEvent<"entry.paid">,
    tx: PrismaTransaction,
  ): Promise<void | AfterCommit> => {
    const { paymentId, competitionId, userId, paidAt } = event.payload;
    const known = await tx.competitionEntry.findUnique({ where: { paymentId } });
    if (known) return;
    const result = await services.competitions.seat(tx, competitionId, userId, {
      requirePaid: false,
    });
    const declined =
      !result.seated && (result.reason === "FULL" || result.reason === "FINISHED")
        ? result.reason
        : null;
    await tx.competitionEntry.create({
      data: {
        paymentId,
        competitionId,
        userId,
        status: declined ? "DECLINED" : "PAID",
        paidAt: new Date(paidAt),
      },
    });
    if (declined) {
      await services.outbox.record(tx, "entry.declined", {
        paymentId,
        competitionId,
        userId,
        reason: declined,
      });
      return;
    }
    if (result.seated) {
      const { write } = result;
      return () => services.index.applyQuietly(competitionId, [write]);
    }
  };
}
