import { RateLimits, type Logger, type RedisConnection } from "@pulse/platform/server";
import {
  closeInfrastructure,
  connectInfrastructure,
  Subgraph,
  type Outbox,
  type PrismaClient,
  type ServiceOptions,
  type SubgraphService,
} from "@pulse/platform/subgraph";
import type Stripe from "stripe";
import { CheckoutService } from "./checkout/checkout.service.ts";
import type { BillingConfig } from "./config.ts";
import { createBillingContext, type BillingContext, type BillingServices } from "./context.ts";
import { CustomerService } from "./customer/customer.service.ts";
import { billingEventHandlers } from "./events/handlers.ts";
import { MembershipService } from "./membership/membership.service.ts";
import { PaymentService } from "./payment/payment.service.ts";
import { PlanCatalog } from "./plan/plan-catalog.service.ts";
import { Reconciler } from "./reconcile/reconcile.service.ts";
import { BILLING_RATE_LIMITS } from "./rate-limits.ts";
import { buildBillingSchema } from "./schema.ts";
import { createStripeClient } from "./stripe/stripe-client.adapter.ts";
import { stripeWebhookRoute } from "./stripe/webhook-route.adapter.ts";
import { StripeWebhooks } from "./stripe/webhook.service.ts";

export interface BillingService extends SubgraphService {
  reconciler: Reconciler;
}

/** Everything billing runs on besides the GraphQL server: services, webhooks, reconciliation. */
export interface BillingParts extends BillingServices {
  stripe: Stripe;
  memberships: MembershipService;
  webhooks: StripeWebhooks;
  reconciler: Reconciler;
}

/** Billing's services over one database pool and one Stripe client. */
export function createBillingParts(deps: {
  config: BillingConfig;
  prisma: PrismaClient;
  outbox: Outbox;
  redis: RedisConnection;
  redisPrefix: string;
  logger: Logger;
}): BillingParts {
  const { config, prisma, outbox, redis, redisPrefix, logger } = deps;
  const stripe = createStripeClient(config);
  const plans = new PlanCatalog(config);
  const customers = new CustomerService({ prisma, stripe });
  const memberships = new MembershipService({ prisma, stripe, outbox, plans, logger });
  const payments = new PaymentService({ prisma, stripe, outbox, plans });
  const checkout = new CheckoutService({
    prisma,
    stripe,
    plans,
    customers,
    payments,
    urls: config,
  });
  const webhooks = new StripeWebhooks({
    prisma,
    stripe,
    memberships,
    payments,
    secret: config.STRIPE_WEBHOOK_SECRET,
    toleranceSeconds: config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
    logger,
  });
  const reconciler = new Reconciler({ prisma, memberships, payments, logger, redis, redisPrefix });
  const limits = new RateLimits(redis, redisPrefix, BILLING_RATE_LIMITS, config.RATE_LIMITS);
  return { prisma, stripe, plans, checkout, payments, memberships, webhooks, reconciler, limits };
}

/**
 * Wires the billing subgraph: connections, Stripe, services, the webhook route, event handlers
 * and the periodic reconciliation. Nothing listens until `subgraph.listen`.
 */
export async function createBillingService(
  config: BillingConfig,
  options: ServiceOptions = {},
): Promise<BillingService> {
  const infra = connectInfrastructure("billing", config, options);
  const { prisma, outbox, redis, redisPrefix, logger } = infra;
  const parts = createBillingParts({ config, prisma, outbox, redis, redisPrefix, logger });

  const subgraph = new Subgraph<BillingContext>({
    infra,
    schema: await buildBillingSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    context: (identity) => createBillingContext(identity, parts),
    eventHandlers: billingEventHandlers({ ...parts, logger }),
    routes: { "/webhooks/stripe": stripeWebhookRoute(parts.webhooks) },
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    subgraph: {
      // Reconciliation runs periodically once the service serves.
      async listen(port, host) {
        const url = await subgraph.listen(port, host);
        if (config.RECONCILE_INTERVAL_SECONDS > 0) {
          timer = setInterval(() => {
            parts.reconciler.run().catch((error: unknown) => {
              logger.error({ err: error }, "billing reconciliation failed");
            });
          }, config.RECONCILE_INTERVAL_SECONDS * 1000);
          timer.unref();
        }
        return url;
      },
    },
    reconciler: parts.reconciler,
    async close() {
      clearInterval(timer);
      await subgraph.close();
      await closeInfrastructure(infra);
    },
  };
}

/** Reconciliation alone, for `pnpm billing:reconcile`: no server, no consumer, no relay. */
export function createBillingReconciler(config: BillingConfig, options: ServiceOptions = {}) {
  const infra = connectInfrastructure("billing", config, options);
  const parts = createBillingParts({ config, ...infra });
  return {
    run: () => parts.reconciler.run(),
    close: () => closeInfrastructure(infra),
  };
}
