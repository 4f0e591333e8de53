import type { DomainEvent, Logger, PrismaTransaction } from "@pulse/platform";
import { ownerPrefix } from "../photo/photo-keys.ts";
import type { PhotoStorage } from "../photo/photo.storage.ts";

/**
 * Forgets a deleted person: their profile with its preferences and photo rows, and blocks in
 * both directions, in the consumer's transaction. Their stored photos are swept afterwards, best
 * effort: the rows that pointed at them are gone, so a failure only leaves unreachable objects
 * (logged), and a redelivered event sweeps again.
 */
export function userDeletedHandler(storage: PhotoStorage, logger: Logger) {
  return async (event: DomainEvent<"user.deleted">, tx: PrismaTransaction): Promise<void> => {
    const { userId } = event.payload;
    await tx.block.deleteMany({ where: { OR: [{ blockerId: userId }, { blockedId: userId }] } });
    // Photo rows go with the profile (ON DELETE CASCADE).
    await tx.profile.deleteMany({ where: { userId } });
    // The handler's transaction commits right after it returns; the sweep does not wait on it.
    setImmediate(() => {
      storage
        .deleteUnder(ownerPrefix(userId))
        .catch((error: unknown) =>
          logger.warn({ err: error, userId }, "could not delete a deleted person's photos"),
        );
    });
  };
}
