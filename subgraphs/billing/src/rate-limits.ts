import type { RateLimits } from "@pulse/platform/server";

/**
 * Billing's limits, by name: attempts per window of seconds, per person. Each attempt opens a
 * Stripe Checkout session, a call to Stripe's API. Configuration may change any of them
 * (`RATE_LIMITS`, docs/operations.md).
 */
export const BILLING_RATE_LIMITS = {
  /** Premium checkouts: a person choosing a plan, with room for going back and forth. */
  "start-checkout:person": { points: 20, durationSeconds: 3600 },
  /** Entry-fee checkouts, across competitions. */
  "pay-competition-entry:person": { points: 30, durationSeconds: 3600 },
} as const;

export type BillingRateLimits = RateLimits<keyof typeof BILLING_RATE_LIMITS>;
