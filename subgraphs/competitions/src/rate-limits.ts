import type { RateLimits } from "@pulse/platform/server";

/**
 * Competitions' limits, by name: attempts per window of seconds, per person. Configuration may
 * change any of them (`RATE_LIMITS`, docs/operations.md).
 */
export const COMPETITIONS_RATE_LIMITS = {
  /** Activity syncs (up to 500 records each): a watch or phone syncing, not a script. */
  "sync-activity:person": { points: 60, durationSeconds: 60 },
} as const;

export type CompetitionsRateLimits = RateLimits<keyof typeof COMPETITIONS_RATE_LIMITS>;
