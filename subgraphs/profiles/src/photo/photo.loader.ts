import type { Photo as PhotoRow } from "@pulse/db";
import type { PrismaClient, ReplicatedCache } from "@pulse/platform";
import { createCardLoader } from "../profile/profile-cards.ts";

/** Loads each person's visible photos in display order through the cards cache. */
export function createVisiblePhotosLoader(
  prisma: PrismaClient,
  cache: ReplicatedCache<PhotoRow[]>,
) {
  return createCardLoader(
    cache,
    () => [],
    async (userIds) => {
      const rows = await prisma.photo.findMany({
        where: { userId: { in: userIds }, status: "READY" },
        orderBy: { position: "asc" },
      });
      const byOwner = new Map<string, PhotoRow[]>();
      for (const photo of rows) {
        const owned = byOwner.get(photo.userId);
        if (owned) owned.push(photo);
        else byOwner.set(photo.userId, [photo]);
      }
      return byOwner;
    },
  );
}
