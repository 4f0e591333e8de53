import type { RateLimits } from "@pulse/platform/server";

/**
 * Profiles' limits, by name: attempts per window of seconds, per person. Configuration may change
 * any of them (`RATE_LIMITS`, docs/operations.md).
 */
export const PROFILES_RATE_LIMITS = {
  /** Username searches: a person typing, not a crawler walking every prefix. */
  "search-users:person": { points: 60, durationSeconds: 60 },
  /** Presigned uploads: nine photos, with room for retries and replacements. */
  "photo-upload:person": { points: 30, durationSeconds: 3600 },
} as const;

export type ProfilesRateLimits = RateLimits<keyof typeof PROFILES_RATE_LIMITS>;
