import type { Logger } from "@pulse/platform/server";
import type { AfterCommit, DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import { ownerPrefix } from "../photo/photo-keys.rules.ts";
import type { PhotoStorage } from "../photo/photo-storage.adapter.ts";
import type { ProfileCards } from "../profile/profile-cards.service.ts";

/**
 * Forgets a deleted person: their profile with its preferences and photo rows, and blocks in
 * both directions, in the consumer's transaction. Once that committed, their cached card is
 * dropped and their stored photos are swept, best effort: the rows that pointed at them are
 * gone, so a failure only leaves unreachable objects (logged).
 */
export function userDeletedHandler(
  storage: PhotoStorage,
  cards: Pick<ProfileCards, "invalidate">,
  logger: Logger,
) {
  return async (
    event: DomainEvent<"user.deleted">,
    tx: PrismaTransaction,
  ): Promise<AfterCommit> => {
    const { userId } = event.payload;
    await tx.block.deleteMany({ where: { OR: [{ blockerId: userId }, { blockedId: userId }] } });
    // Photo rows go with the profile (ON DELETE CASCADE).
    await tx.profile.deleteMany({ where: { userId } });
    return async () => {
      await cards.invalidate(userId);
      // Not awaited: a slow object store must not hold up the next event.
      storage
        .deleteUnder(ownerPrefix(userId))
        .catch((error: unknown) =>
          logger.warn({ err: error, userId }, "could not delete a deleted person's photos"),
        );
    };
  };
}
