/**
 * Membership tier as discovery keeps it on the person's candidate row (`FREE` by default), fed by
 * billing's `membership.changed` (events/membership-changed.handler.ts).
 */
export type Tier = "FREE" | "PREMIUM";

/** The tier a stored value stands for; anything unknown, or no row at all, is FREE. */
export function tierOf(stored: string | null | undefined): Tier {
  return stored === "PREMIUM" ? "PREMIUM" : "FREE";
}
