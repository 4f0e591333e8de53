import Stripe from "stripe";
import type { BillingConfig } from "../config.ts";

/**
 * The `stripe` client: api.stripe.com, or the local Stripe test server when `STRIPE_API_URL`
 * is set (development and tests). Nothing else differs between the two.
 */
export function createStripeClient(
  config: Pick<BillingConfig, "STRIPE_SECRET_KEY" | "STRIPE_API_URL">,
): Stripe {
  const local = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : null;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 2,
    timeout: 15_000,
    appInfo: { name: "pulse-billing" },
    ...(local
      ? {
          host: local.hostname,
          port: Number(local.port || (local.protocol === "https:" ? 443 : 80)),
          protocol: local.protocol === "https:" ? ("https" as const) : ("http" as const),
        }
      : {}),
  });
}

/** Whether `error` is Stripe saying the object does not exist (any more). */
export function isResourceMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.code === "resource_missing";
}

/** The id of an expandable Stripe field (`string | Object`). */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}
