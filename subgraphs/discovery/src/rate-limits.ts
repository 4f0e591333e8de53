import type { RateLimits } from "@pulse/platform/server";

/**
 * Discovery's limits, by name: attempts per window of seconds, per person. Configuration may
 * change any of them (`RATE_LIMITS`, docs/operations.md). The daily like limits are the
 * product's rules, not these (`swipe/daily-limits.service.ts`).
 */
export const DISCOVERY_RATE_LIMITS = {
  /** Swipes in a burst: faster than a person can look at a card is a script. */
  "swipe:person": { points: 60, durationSeconds: 60 },
} as const;

export type DiscoveryRateLimits = RateLimits<keyof typeof DISCOVERY_RATE_LIMITS>;
