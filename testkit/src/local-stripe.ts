import { randomBytes } from "node:crypto";
import { PLAN_PRICES } from "@pulse/billing";
import { LocalStripe } from "@pulse/stripe-local";

export { LocalStripe } from "@pulse/stripe-local";

/** A local Stripe server for one stack or harness, and the billing variables that point at it. */
export interface TestStripe {
  stripe: LocalStripe;
  /** STRIPE_* variables for billing. */
  env: Record<string, string>;
  webhookSecret: string;
}

/**
 * Starts a local Stripe test server with billing's plans as Prices, retrying failed webhook
 * deliveries quickly (tests wait on conditions, not on Stripe's real backoff).
 */
export async function startTestStripe(): Promise<TestStripe> {
  const stripe = await LocalStripe.start({
    retryDelaysMs: [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000],
  });
  const priceIds = Object.fromEntries(
    PLAN_PRICES.map((plan) => [
      plan.id,
      stripe.createPrice({
        productName: plan.name,
        unitAmount: plan.amountCents,
        interval: plan.interval === "YEAR" ? "year" : "month",
        lookupKey: plan.id,
      }).id,
    ]),
  );
  const webhookSecret = `whsec_${randomBytes(24).toString("base64url")}`;
  return {
    stripe,
    webhookSecret,
    env: {
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_URL: stripe.url,
      STRIPE_PRICE_PREMIUM_MONTHLY: priceIds["premium-monthly"]!,
      STRIPE_PRICE_PREMIUM_YEARLY: priceIds["premium-yearly"]!,
      RECONCILE_INTERVAL_SECONDS: "0",
    },
  };
}
