import { Prisma } from "@pulse/db";
import type { PrismaTransaction } from "@pulse/platform/subgraph";
import { touchActivity } from "../candidate/activity.query.ts";
import { blockedBetween } from "../candidate/blocks.query.ts";

/** What deciding a swipe needs to know about the pair, read in one statement. */
export interface SwipeState {
  targetExists: boolean;
  blocked: boolean;
  /** The swiper's tier as stored, null without a profile. */
  tier: string | null;
  /** The swiper's earlier swipe on the target. */
  previous: string | null;
  /** The target's swipe on the swiper. */
  reverse: string | null;
}

/** Reads the pair's state and marks the swiper active. */
export async function readSwipeState(
  tx: PrismaTransaction,
  swiperId: string,
  targetId: string,
): Promise<SwipeState> {
  const swiper = Prisma.sql`${swiperId}::uuid`;
  const target = Prisma.sql`${targetId}::uuid`;
  const [state] = await tx.$queryRaw<SwipeState[]>`
    WITH touch AS (${touchActivity(swiperId)})
    SELECT
      EXISTS (SELECT 1 FROM discovery.candidate WHERE user_id = ${target}) AS "targetExists",
      ${blockedBetween(swiper, target)} AS blocked,
      (SELECT tier FROM discovery.candidate WHERE user_id = ${swiper}) AS tier,
      (SELECT action FROM discovery.swipe WHERE swiper_id = ${swiper} AND target_id = ${target})
        AS previous,
      (SELECT action FROM discovery.swipe WHERE swiper_id = ${target} AND target_id = ${swiper})
        AS reverse`;
  return state!;
}
