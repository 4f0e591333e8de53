import type { AfterCommit, DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import { removeParticipant } from "../competition/competition.service.ts";
import type { CompetitionsServices } from "../context.ts";
import type { ScoreWrite } from "../leaderboard/leaderboard-index.ts";

/**
 * A deleted account leaves every leaderboard and the rating ladder, and its activity is deleted.
 * Its paid entries' records stay with billing; here they are forgotten too.
 */
export function forgetDeletedUser(services: CompetitionsServices) {
  return async (
    event: DomainEvent<"user.deleted">,
    tx: PrismaTransaction,
  ): Promise<void | AfterCommit> => {
    const { userId } = event.payload;
    const joined = await tx.competitionParticipant.findMany({
      where: { userId },
      select: { competitionId: true },
      orderBy: { competitionId: "asc" },
    });
    const writes: [string, ScoreWrite][] = [];
    for (const { competitionId } of joined) {
      await tx.$executeRaw`SELECT 1 FROM competitions.competition WHERE id = ${competitionId}::uuid FOR UPDATE`;
      const write = await removeParticipant(tx, competitionId, userId);
      if (write) writes.push([competitionId, write]);
    }
    await tx.activityRecord.deleteMany({ where: { userId } });
    await tx.rating.deleteMany({ where: { userId } });
    await tx.ratingChange.deleteMany({ where: { userId } });
    await tx.competitionEntry.deleteMany({ where: { userId } });
    if (writes.length === 0) return;
    return async () => {
      for (const [competitionId, write] of writes) {
        await services.index.applyQuietly(competitionId, [write]);
      }
    };
  };
}
