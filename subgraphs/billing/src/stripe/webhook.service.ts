import type { Logger } from "@pulse/platform/server";
import type { PrismaClient, PrismaTransaction } from "@pulse/platform/subgraph";
import type Stripe from "stripe";
import type { MembershipService } from "../membership/membership.service.ts";
import type { PaymentService } from "../payment/payment.service.ts";
import { idOf } from "./stripe-client.adapter.ts";

/** What the webhook endpoint answers. */
export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Stripe's webhooks, the only source of truth for what is paid and who is premium. Each event is
 * verified with the `stripe` library, then applied once: its id is recorded in the transaction
 * of its effect. Effects read the object from Stripe as it is now, so events that arrive late,
 * twice or out of order end in the right state.
 */
export class StripeWebhooks {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      stripe: Stripe;
      memberships: MembershipService;
      payments: PaymentService;
      secret: string;
      toleranceSeconds: number;
      logger: Logger;
    },
  ) {}

  /** Verifies and applies one delivery. A bad signature stores nothing and answers 400. */
  async receive(rawBody: Buffer, signature: string | undefined): Promise<WebhookAnswer> {
    let event: Stripe.Event;
    try {
      event = this.deps.stripe.webhooks.constructEvent(
        rawBody,
        signature ?? "",
        this.deps.secret,
        this.deps.toleranceSeconds,
      );
    } catch (error) {
      this.deps.logger.warn({ err: error }, "refused a Stripe webhook");
      return { status: 400, body: { error: "invalid signature" } };
    }
    const applied = await this.apply(event);
    return { status: 200, body: { received: true, applied } };
  }

  /** Applies `event` unless it was applied before; resolves to whether it was applied now. */
  async apply(event: Stripe.Event): Promise<boolean> {
    return this.deps.prisma.$transaction(
      async (tx) => {
        const recorded = await tx.$executeRawUnsafe(
          `INSERT INTO "billing"."stripe_event" (id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
          event.id,
          event.type,
        );
        if (recorded === 0) return false;
        await this.handle(tx, event);
        return true;
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  }

  private async handle(tx: PrismaTransaction, event: Stripe.Event): Promise<void> {
    const { memberships, payments } = this.deps;
    switch (event.type) {
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded":
      case "checkout.session.async_payment_failed":
      case "checkout.session.expired": {
        const session = event.data.object;
        const subscriptionId = idOf(session.subscription);
        if (session.mode === "subscription" && subscriptionId) {
          await memberships.syncFromStripe(tx, subscriptionId);
        } else if (session.mode === "payment") {
          await payments.syncCheckoutSession(tx, session.id);
        }
        return;
      }
      case "customer.subscription.created":
      case "customer.subscription.updated":
      case "customer.subscription.deleted":
      case "customer.subscription.paused":
      case "customer.subscription.resumed":
        return memberships.syncFromStripe(tx, event.data.object.id);
      case "invoice.paid":
      case "invoice.payment_failed": {
        const subscriptionId = await payments.syncInvoice(tx, event.data.object.id);
        if (subscriptionId) await memberships.syncFromStripe(tx, subscriptionId);
        return;
      }
      case "charge.refunded":
        return payments.syncCharge(tx, event.data.object.id);
      case "payment_intent.payment_failed":
        return payments.syncPaymentIntent(tx, event.data.object.id);
      default:
        // Acknowledged and ignored; recorded so a redelivery costs nothing.
        return;
    }
  }
}
