import type { Photo as PhotoRow } from "@pulse/db";
import type { PrismaClient } from "@pulse/platform";
import DataLoader from "dataloader";

/** Loads each person's visible photos in display order, one query per batch. */
export function createVisiblePhotosLoader(prisma: PrismaClient) {
  return new DataLoader<string, PhotoRow[]>(async (userIds) => {
    const rows = await prisma.photo.findMany({
      where: { userId: { in: [...userIds] }, status: "READY" },
      orderBy: { position: "asc" },
    });
    const byOwner = new Map<string, PhotoRow[]>(userIds.map((userId) => [userId, []]));
    for (const photo of rows) byOwner.get(photo.userId)!.push(photo);
    return userIds.map((userId) => byOwner.get(userId)!);
  });
}
