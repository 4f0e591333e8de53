import { rateLimited, type RedisConnection } from "@pulse/platform/server";
import type { Tier } from "../candidate/tier.rules.ts";
import { SwipeAction } from "./swipe.input.ts";

type LimitedAction = typeof SwipeAction.LIKE | typeof SwipeAction.SUPER_LIKE;

/** The contract's daily allowances per UTC day; PASS is never limited. */
export const DAILY_LIMITS: Record<Tier, Record<LimitedAction, number>> = {
  FREE: { LIKE: 100, SUPER_LIKE: 1 },
  PREMIUM: { LIKE: Number.POSITIVE_INFINITY, SUPER_LIKE: 5 },
};

/** One unit of a daily allowance, given back if the swipe it was for does not happen. */
export interface Allowance {
  release(): Promise<void>;
}

const unlimited: Allowance = { release: async () => {} };

/**
 * Daily like and super-like counters per person, in Redis (shared by every replica), reset at
 * UTC midnight. A unit is taken only for a swipe that is really being stored, and given back
 * when storing it fails, so idempotent repeats and refused swipes cost nothing.
 */
export class DailyLimits {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  /**
   * Takes one unit of today's allowance for `action`.
   *
   * @throws RATE_LIMITED, with the seconds until UTC midnight, when today's allowance is spent.
   */
  async take(userId: string, action: SwipeAction, tier: Tier): Promise<Allowance> {
    if (action === SwipeAction.PASS) return unlimited;
    const limit = DAILY_LIMITS[tier][action];
    if (!Number.isFinite(limit)) return unlimited;
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    const key = `${this.prefix}swipes:${now.toISOString().slice(0, 10)}:${action}:${userId}`;
    const [[, count] = []] =
      (await this.redis
        .multi()
        .incr(key)
        .pexpireat(key, midnight + 3_600_000)
        .exec()) ?? [];
    const release = async () => {
      await this.redis.decr(key);
    };
    if (typeof count !== "number" || count > limit) {
      await release();
      throw rateLimited(Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)));
    }
    return { release };
  }
}
