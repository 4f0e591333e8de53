import type { BillingConfig } from "../config.ts";

export type PlanIntervalName = "MONTH" | "YEAR";

/** A premium plan and the Stripe Price it sells. */
export interface PlanDefinition {
  id: string;
  name: string;
  interval: PlanIntervalName;
  amountCents: number;
  currency: string;
  features: string[];
  stripePriceId: string;
}

const FEATURES = ["See who liked you", "Unlimited likes", "5 super likes a day"];

/**
 * The premium plans. Prices shown here must match the Stripe Prices configured for them (the
 * local Stripe server creates them from this list in development and tests).
 */
export const PLAN_PRICES = [
  { id: "premium-monthly", name: "Premium monthly", interval: "MONTH", amountCents: 999 },
  { id: "premium-yearly", name: "Premium yearly", interval: "YEAR", amountCents: 7999 },
] as const;

export class PlanCatalog {
  readonly plans: PlanDefinition[];

  constructor(
    config: Pick<BillingConfig, "STRIPE_PRICE_PREMIUM_MONTHLY" | "STRIPE_PRICE_PREMIUM_YEARLY">,
  ) {
    const priceIds: Record<string, string> = {
      "premium-monthly": config.STRIPE_PRICE_PREMIUM_MONTHLY,
      "premium-yearly": config.STRIPE_PRICE_PREMIUM_YEARLY,
    };
    this.plans = PLAN_PRICES.map((plan) => ({
      ...plan,
      currency: "usd",
      features: FEATURES,
      stripePriceId: priceIds[plan.id]!,
    }));
  }

  byId(id: string): PlanDefinition | undefined {
    return this.plans.find((plan) => plan.id === id);
  }

  byPriceId(priceId: string): PlanDefinition | undefined {
    return this.plans.find((plan) => plan.stripePriceId === priceId);
  }
}
