import type { RateLimits } from "@pulse/platform/server";

/**
 * Identity's limits, by name: attempts per window of seconds, counted per client address or per
 * email. Configuration may change any of them (`RATE_LIMITS`, docs/operations.md).
 */
export const IDENTITY_RATE_LIMITS = {
  /** The contract's login limit: 10 attempts a minute, per email and per client address. */
  "login:email": { points: 10, durationSeconds: 60 },
  "login:address": { points: 10, durationSeconds: 60 },
  /** Sign-ups (each mails a confirmation link) from one address. */
  "register:address": { points: 5, durationSeconds: 3600 },
  /**
   * Confirmation mails to one inbox: only sign-ups mail one, and an email has one account at a
   * time, but sign-up, delete, sign-up again from many addresses would flood it.
   */
  "verification-mail:email": { points: 3, durationSeconds: 3600 },
  /** Reset requests from one address, whether or not the email has an account. */
  "password-reset:address": { points: 10, durationSeconds: 3600 },
  /** Reset mails to one inbox; past it, requests still answer true and send nothing. */
  "password-reset:email": { points: 3, durationSeconds: 3600 },
  /** Guesses of a mailed token, from one address. */
  "reset-password:address": { points: 10, durationSeconds: 900 },
  "verify-email:address": { points: 10, durationSeconds: 900 },
} as const;

export type IdentityRateLimits = RateLimits<keyof typeof IDENTITY_RATE_LIMITS>;
