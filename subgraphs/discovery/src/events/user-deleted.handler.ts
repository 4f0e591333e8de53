import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import type { MatchService } from "../match/match.service.ts";

/**
 * Removes a deleted person from discovery everywhere: their candidate row, swipes and blocks in
 * both directions, their matches (ended, `match.ended` USER_DELETED, so chat closes them) and
 * the counter of their matches' places. A tombstone keeps a late `profile.changed` from bringing
 * them back.
 */
export async function forgetUser(
  event: DomainEvent<"user.deleted">,
  tx: PrismaTransaction,
  matches: MatchService,
): Promise<void> {
  const { userId } = event.payload;
  await tx.discoveryDeletedUser.createMany({ data: [{ userId }], skipDuplicates: true });
  await tx.candidate.deleteMany({ where: { userId } });
  await tx.swipe.deleteMany({ where: { OR: [{ swiperId: userId }, { targetId: userId }] } });
  await tx.discoveryBlock.deleteMany({
    where: { OR: [{ blockerId: userId }, { blockedId: userId }] },
  });
  await matches.end(tx, { OR: [{ userLow: userId }, { userHigh: userId }] }, "USER_DELETED");
  // After the ended matches: a match being made meanwhile holds the counter until it commits.
  await tx.matchCounter.deleteMany({ where: { userId } });
}
