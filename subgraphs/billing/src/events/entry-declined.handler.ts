import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import type Stripe from "stripe";
import { lockStripeObject } from "../stripe/stripe-lock.query.ts";

/**
 * Competitions could not seat a paid entry: refund it through Stripe. The payment shows REFUNDED
 * once Stripe's `charge.refunded` arrives. The idempotency key makes a redelivered event (or a
 * retry after a failed commit) ask Stripe for the same single refund.
 */
export function refundDeclinedEntry(stripe: Stripe) {
  return async (event: DomainEvent<"entry.declined">, tx: PrismaTransaction): Promise<void> => {
    const { paymentId } = event.payload;
    await lockStripeObject(tx, `payment:${paymentId}`);
    const payment = await tx.payment.findUnique({ where: { id: paymentId } });
    if (!payment || payment.status !== "SUCCEEDED" || !payment.stripePaymentIntentId) return;
    if (payment.refundRequestedAt) return;
    await stripe.refunds.create(
      {
        payment_intent: payment.stripePaymentIntentId,
        reason: "requested_by_customer",
        metadata: { paymentId, reason: event.payload.reason },
      },
      { idempotencyKey: `pulse-refund-${paymentId}` },
    );
    await tx.payment.update({ where: { id: paymentId }, data: { refundRequestedAt: new Date() } });
  };
}
