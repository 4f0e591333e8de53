// Stripe for `pnpm dev`: the real Stripe (test mode) when STRIPE_SECRET_KEY is set, otherwise the
// local Stripe test server (@pulse/stripe-local) with billing's plans as Prices, its state kept in
// `.data/stripe/`, and its webhooks sent to the gateway's POST /webhooks/stripe.
import path from "node:path";
import { PLAN_PRICES } from "@pulse/billing";
import { LocalStripe } from "@pulse/stripe-local";
import { DevStartError, type DevBackend } from "./infrastructure.ts";
import { preferredPort } from "./ports.ts";

const LOCAL_STRIPE_PORT = 12111;
/** Fixed, so a restart keeps verifying what the state file's server signs: development only. */
const LOCAL_WEBHOOK_SECRET = "whsec_pulse_local_development_only";

export interface DevStripe extends DevBackend {
  /** The STRIPE_* variables billing needs on top of the environment. */
  env: Record<string, string>;
  /** The local server, when this run started one (the demo seeding pays through it). */
  local: LocalStripe | null;
}

export async function provideStripe(
  dataDir: string,
  gatewayWebhookUrl: string,
  production: boolean,
): Promise<DevStripe> {
  if (process.env.STRIPE_SECRET_KEY || production) {
    const missing = [
      "STRIPE_SECRET_KEY",
      "STRIPE_WEBHOOK_SECRET",
      "STRIPE_PRICE_PREMIUM_MONTHLY",
      "STRIPE_PRICE_PREMIUM_YEARLY",
    ].filter((name) => !process.env[name]);
    if (missing.length > 0) {
      throw new DevStartError(
        `With STRIPE_SECRET_KEY set, billing also needs ${missing.join(", ")}.`,
      );
    }
    return {
      url: "https://api.stripe.com",
      description: "Stripe (STRIPE_SECRET_KEY from the environment)",
      stop: async () => {},
      env: {},
      local: null,
    };
  }
  const stripe = await LocalStripe.start({
    port: await preferredPort(LOCAL_STRIPE_PORT),
    stateFile: path.join(dataDir, "state.json"),
    webhookEndpoints: [{ url: gatewayWebhookUrl, secret: LOCAL_WEBHOOK_SECRET }],
  });
  const priceIds = Object.fromEntries(
    PLAN_PRICES.map((plan) => {
      const known = [...stripe.prices.values()].find((price) => price.lookup_key === plan.id);
      const price =
        known ??
        stripe.createPrice({
          productName: plan.name,
          unitAmount: plan.amountCents,
          interval: plan.interval === "YEAR" ? "year" : "month",
          lookupKey: plan.id,
        });
      return [plan.id, price.id];
    }),
  );
  return {
    url: stripe.url,
    description: `local Stripe test server on ${stripe.url}, state in ${dataDir}`,
    stop: () => stripe.close(),
    local: stripe,
    env: {
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: LOCAL_WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
      STRIPE_PRICE_PREMIUM_MONTHLY: priceIds["premium-monthly"]!,
      STRIPE_PRICE_PREMIUM_YEARLY: priceIds["premium-yearly"]!,
      // No app to return to: the local server's own stand-in pages.
      CHECKOUT_SUCCESS_URL: `${stripe.url}/done?session_id={CHECKOUT_SESSION_ID}`,
      CHECKOUT_CANCEL_URL: `${stripe.url}/canceled`,
      BILLING_PORTAL_RETURN_URL: `${stripe.url}/done`,
    },
  };
}
