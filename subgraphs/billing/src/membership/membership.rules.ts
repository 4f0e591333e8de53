import type Stripe from "stripe";

export type MembershipStatusName = "ACTIVE" | "TRIALING" | "PAST_DUE" | "CANCELED";

/**
 * What a Stripe subscription's status means for a membership. `null`: not a membership yet
 * (`incomplete`: the first payment has not gone through).
 *
 * PAST_DUE: the latest invoice failed and Stripe is retrying it. The person stays premium during
 * those retries (a grace period); when Stripe gives up, the subscription is canceled (CANCELED,
 * not premium) or, if the account is set so, left `unpaid` (PAST_DUE, not premium).
 */
export function membershipState(
  status: Stripe.Subscription.Status,
): { status: MembershipStatusName; isPremium: boolean } | null {
  switch (status) {
    case "active":
      return { status: "ACTIVE", isPremium: true };
    case "trialing":
      return { status: "TRIALING", isPremium: true };
    case "past_due":
      return { status: "PAST_DUE", isPremium: true };
    case "unpaid":
      return { status: "PAST_DUE", isPremium: false };
    case "canceled":
    case "incomplete_expired":
    case "paused":
      return { status: "CANCELED", isPremium: false };
    default:
      return null;
  }
}

/** A membership status that still holds a plan (a new checkout of that plan is a CONFLICT). */
export const isLive = (status: string | null | undefined) =>
  status === "ACTIVE" || status === "TRIALING" || status === "PAST_DUE";
