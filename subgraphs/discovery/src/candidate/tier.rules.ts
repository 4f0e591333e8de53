/**
 * Membership tier as discovery keeps it on the person's candidate row (`FREE` by default). Billing
 * will feed it through its events; until then tests set it directly.
 */
export type Tier = "FREE" | "PREMIUM";

/** The tier a stored value stands for; anything unknown, or no row at all, is FREE. */
export function tierOf(stored: string | null | undefined): Tier {
  return stored === "PREMIUM" ? "PREMIUM" : "FREE";
}
