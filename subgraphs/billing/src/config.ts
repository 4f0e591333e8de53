import { env, loadConfig } from "@pulse/platform/server";
import { subgraphConfigSchema } from "@pulse/platform/subgraph";
import { z } from "zod";

/** The billing subgraph's environment (see the README's table of variables). */
export const billingConfigSchema = subgraphConfigSchema(4006, {
  /** `sk_test_...` or `sk_live_...`. */
  STRIPE_SECRET_KEY: z.string({ error: "required, the Stripe API key" }).min(1),
  /** `whsec_...`: the signing secret of the webhook endpoint (or of `stripe listen`). */
  STRIPE_WEBHOOK_SECRET: z.string({ error: "required, the webhook signing secret" }).min(1),
  /**
   * The local Stripe test server (`@pulse/stripe-local`) instead of api.stripe.com: development
   * and tests only, refused in production.
   */
  STRIPE_API_URL: env.url.optional(),
  /** How old a webhook's signed timestamp may be (Stripe's library default). */
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().positive().default(300),
  /** The Stripe Price ids of the plans. */
  STRIPE_PRICE_PREMIUM_MONTHLY: z
    .string({ error: "required, a recurring monthly Price id" })
    .min(1),
  STRIPE_PRICE_PREMIUM_YEARLY: z.string({ error: "required, a recurring yearly Price id" }).min(1),
  /** Where Checkout sends the person after paying (`{CHECKOUT_SESSION_ID}` is filled in). */
  CHECKOUT_SUCCESS_URL: z
    .string()
    .default("http://localhost:4000/billing/done?session_id={CHECKOUT_SESSION_ID}"),
  /** Where Checkout sends the person who cancels. */
  CHECKOUT_CANCEL_URL: z.string().default("http://localhost:4000/billing/canceled"),
  /** Where the billing portal's "back" link goes. */
  BILLING_PORTAL_RETURN_URL: z.string().default("http://localhost:4000/"),
  /** How often reconciliation runs in the service (0: never; `pnpm billing:reconcile` still does). */
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().nonnegative().default(3600),
}).refine((config) => !(config.NODE_ENV === "production" && config.STRIPE_API_URL), {
  message: "STRIPE_API_URL points at a local Stripe test server, which production never uses",
  path: ["STRIPE_API_URL"],
});

export type BillingConfig = z.infer<typeof billingConfigSchema>;

/** Reads and validates the environment; exits naming every bad variable. */
export const loadBillingConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(billingConfigSchema, source);
