import { Prisma } from "@pulse/db";
import type { PrismaClient } from "@pulse/platform/subgraph";
import { blockedBetween } from "../candidate/blocks.query.ts";

export interface LikeRow {
  userId: string;
  likedAt: Date;
  isSuperLike: boolean;
}

/**
 * Likes and super likes the viewer has not answered yet (answered ones became a match or a pass),
 * newest first, leaving out blocks either way. Deleted people's swipes are gone.
 */
export function findLikesReceived(
  prisma: PrismaClient,
  viewerId: string,
  limit: number,
): Promise<LikeRow[]> {
  const viewer = Prisma.sql`${viewerId}::uuid`;
  return prisma.$queryRaw<LikeRow[]>`
    SELECT s.swiper_id::text AS "userId", s.created_at AS "likedAt",
           s.action = 'SUPER_LIKE' AS "isSuperLike"
    FROM discovery.swipe s
    WHERE s.target_id = ${viewer} AND s.action IN ('LIKE', 'SUPER_LIKE')
      AND NOT EXISTS (
        SELECT 1 FROM discovery.swipe answer
        WHERE answer.swiper_id = ${viewer} AND answer.target_id = s.swiper_id)
      AND NOT ${blockedBetween(viewer, Prisma.sql`s.swiper_id`)}
    ORDER BY s.created_at DESC, s.swiper_id DESC
    LIMIT ${limit}`;
}
