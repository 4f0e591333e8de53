import { type ForwardedIdentity } from "@pulse/platform/server";
import { defineLoaders, type PrismaClient, type SubgraphContext } from "@pulse/platform/subgraph";
import type { CheckoutService } from "./checkout/checkout.service.ts";
import { membershipLoaders } from "./membership/membership.loader.ts";
import type { PaymentService } from "./payment/payment.service.ts";
import type { PlanCatalog } from "./plan/plan-catalog.service.ts";
import type { BillingRateLimits } from "./rate-limits.ts";

/** Billing's long-lived services, shared by every request. */
export interface BillingServices {
  prisma: PrismaClient;
  plans: PlanCatalog;
  checkout: CheckoutService;
  payments: PaymentService;
  /** Attempts per person (`limits.consume(name, key)`). */
  limits: BillingRateLimits;
}

/** Makes a context's loaders, each on first use. */
const billingLoaders = defineLoaders({ ...membershipLoaders });

export type BillingLoaders = ReturnType<typeof billingLoaders>;

/** Billing's per-request context: who is calling, loaders, and the services. */
export interface BillingContext extends SubgraphContext, Omit<BillingServices, "prisma"> {
  loaders: BillingLoaders;
}

/** The context of one request from the gateway-signed identity. */
export function createBillingContext(
  identity: ForwardedIdentity,
  services: BillingServices,
): BillingContext {
  const { prisma, ...rest } = services;
  return { ...identity, ...rest, loaders: billingLoaders({ prisma }) };
}
