import { Prisma } from "@pulse/db";
import type { PrismaClient } from "@pulse/platform/subgraph";
import { blockedBetween } from "../candidate/blocks.query.ts";

export interface LikeRow {
  userId: string;
  likedAt: Date;
  isSuperLike: boolean;
}

/** Where a like stands among the viewer's likes received: by when, then by who. */
export interface LikePosition {
  likedAt: Date;
  userId: string;
}

/**
 * Likes and super likes the viewer has not answered yet (answered ones became a match or a pass),
 * newest first, leaving out blocks either way, and those up to `after` when given. Deleted
 * people's swipes are gone.
 */
export function findLikesReceived(
  prisma: PrismaClient,
  viewerId: string,
  limit: number,
  after?: LikePosition,
): Promise<LikeRow[]> {
  const viewer = Prisma.sql`${viewerId}::uuid`;
  const afterPosition = after
    ? Prisma.sql`AND (s.created_at, s.swiper_id) < (${after.likedAt}, ${after.userId}::uuid)`
    : Prisma.empty;
  return prisma.$queryRaw<LikeRow[]>`
    SELECT s.swiper_id::text AS "userId", s.created_at AS "likedAt",
           s.action = 'SUPER_LIKE' AS "isSuperLike"
    FROM discovery.swipe s
    WHERE s.target_id = ${viewer} AND s.action IN ('LIKE', 'SUPER_LIKE')
      AND NOT EXISTS (
        SELECT 1 FROM discovery.swipe answer
        WHERE answer.swiper_id = ${viewer} AND answer.target_id = s.swiper_id)
      AND NOT ${blockedBetween(viewer, Prisma.sql`s.swiper_id`)}
      ${afterPosition}
    ORDER BY s.created_at DESC, s.swiper_id DESC
    LIMIT ${limit}`;
}
