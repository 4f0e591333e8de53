import { randomUUID } from "node:crypto";
import {
  pageSize,
  toConnection,
  type Connection,
  type Outbox,
  type PrismaClient,
  type PrismaTransaction,
} from "@pulse/platform/subgraph";
import type { Payment as PaymentRow } from "@pulse/db";
import type Stripe from "stripe";
import type { PlanCatalog } from "../plan/plan-catalog.service.ts";
import { lockStripeObject } from "../stripe/stripe-lock.query.ts";
import { idOf, isResourceMissing } from "../stripe/stripe-client.adapter.ts";
import { decodePaymentCursor, paymentKey } from "./payment.cursor.ts";

export const MAX_PAYMENTS_PAGE = 100;

/**
 * Payments: entry fees (created PENDING when Checkout starts) and membership invoices. Their
 * status moves only on what Stripe holds now, read when a webhook says something changed.
 */
export class PaymentService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      stripe: Stripe;
      outbox: Outbox;
      plans: PlanCatalog;
    },
  ) {}

  /** A person's payments, newest first. */
  list(userId: string, first: number): Promise<PaymentRow[]> {
    return this.deps.prisma.payment.findMany({
      where: { userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: Math.min(Math.max(first, 0), MAX_PAYMENTS_PAGE),
    });
  }

  /**
   * A person's payments, newest first, as a Relay connection continuing after `after`.
   *
   * @throws BAD_USER_INPUT on `first` when negative, on `after` when it is not a payment cursor.
   */
  async page(
    userId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<PaymentRow>> {
    const size = pageSize(first);
    const position = after ? decodePaymentCursor(after) : undefined;
    // One more than asked for, to tell whether another page follows.
    const rows = await this.deps.prisma.payment.findMany({
      where: {
        userId,
        ...(position && {
          OR: [
            { createdAt: { lt: position.createdAt } },
            { createdAt: position.createdAt, id: { lt: position.id } },
          ],
        }),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: size + 1,
    });
    return toConnection(rows, size, paymentKey);
  }

  /** An entry-fee Checkout session was created: its payment is PENDING until Stripe says more. */
  async recordEntryStarted(row: {
    id: string;
    userId: string;
    competitionId: string;
    amountCents: number;
    currency: string;
    description: string;
    stripeCheckoutSessionId: string;
  }): Promise<void> {
    await this.deps.prisma.payment.create({ data: { ...row, kind: "ENTRY", status: "PENDING" } });
  }

  /** Applies a Checkout session of an entry fee as Stripe holds it now. */
  async syncCheckoutSession(tx: PrismaTransaction, sessionId: string): Promise<void> {
    const found = await tx.payment.findUnique({ where: { stripeCheckoutSessionId: sessionId } });
    if (!found) return;
    await lockStripeObject(tx, `payment:${found.id}`);
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: found.id } });
    const session = await this.retrieve(() =>
      this.deps.stripe.checkout.sessions.retrieve(sessionId),
    );
    if (!session) return;
    const intentId = idOf(session.payment_intent);
    if (session.status === "complete" && session.payment_status === "paid") {
      await this.markSucceeded(tx, payment, intentId);
    } else if (session.status === "expired" && payment.status === "PENDING") {
      await tx.payment.update({ where: { id: payment.id }, data: { status: "FAILED" } });
    } else if (intentId && !payment.stripePaymentIntentId) {
      await tx.payment.update({
        where: { id: payment.id },
        data: { stripePaymentIntentId: intentId },
      });
    }
  }

  /** A payment intent failed (a declined card): its PENDING entry payment is FAILED. */
  async syncPaymentIntent(tx: PrismaTransaction, intentId: string): Promise<void> {
    const intent = await this.retrieve(() => this.deps.stripe.paymentIntents.retrieve(intentId));
    const paymentId = intent?.metadata["paymentId"];
    if (!intent || !paymentId || !/^[0-9a-f-]{36}$/.test(paymentId)) return;
    await lockStripeObject(tx, `payment:${paymentId}`);
    const payment = await tx.payment.findUnique({ where: { id: paymentId } });
    if (!payment || payment.status !== "PENDING") return;
    if (intent.status === "requires_payment_method" && intent.last_payment_error) {
      await tx.payment.update({
        where: { id: payment.id },
        data: { status: "FAILED", stripePaymentIntentId: intent.id },
      });
    }
  }

  /** A charge was refunded: its payment is REFUNDED (and an entry is no longer paid). */
  async syncCharge(tx: PrismaTransaction, chargeId: string): Promise<void> {
    const charge = await this.retrieve(() => this.deps.stripe.charges.retrieve(chargeId));
    const intentId = idOf(charge?.payment_intent);
    if (!charge?.refunded || !intentId) return;
    const found = await tx.payment.findUnique({ where: { stripePaymentIntentId: intentId } });
    if (!found) return;
    await lockStripeObject(tx, `payment:${found.id}`);
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: found.id } });
    if (payment.status === "REFUNDED") return;
    const refundedAt = new Date();
    await tx.payment.update({
      where: { id: payment.id },
      data: { status: "REFUNDED", refundedAt },
    });
    if (payment.kind === "ENTRY" && payment.competitionId && payment.userId) {
      // A duplicate payment's refund leaves the entry paid by the other one.
      const stillPaid = await tx.payment.findFirst({
        where: {
          competitionId: payment.competitionId,
          userId: payment.userId,
          status: "SUCCEEDED",
          id: { not: payment.id },
        },
      });
      if (stillPaid) return;
      await this.deps.outbox.record(tx, "entry.refunded", {
        paymentId: payment.id,
        competitionId: payment.competitionId,
        userId: payment.userId,
        refundedAt: refundedAt.toISOString(),
      });
    }
  }

  /** Applies the refund state of a payment intent's charge (reconciliation). */
  async syncPaymentIntentRefund(tx: PrismaTransaction, intentId: string): Promise<void> {
    const intent = await this.retrieve(() => this.deps.stripe.paymentIntents.retrieve(intentId));
    const chargeId = idOf(intent?.latest_charge);
    if (chargeId) await this.syncCharge(tx, chargeId);
  }

  /** Records a membership invoice as Stripe holds it now (paid, failed, ...). */
  async syncInvoice(tx: PrismaTransaction, invoiceId: string): Promise<string | null> {
    await lockStripeObject(tx, invoiceId);
    const invoice = await this.retrieve(() => this.deps.stripe.invoices.retrieve(invoiceId));
    if (!invoice) return null;
    const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
    const customerId = idOf(invoice.customer);
    const customer = customerId
      ? await tx.billingCustomer.findUnique({ where: { stripeCustomerId: customerId } })
      : null;
    if (!customer) return subscriptionId;
    const status = invoiceStatus(invoice);
    const existing = await tx.payment.findUnique({ where: { stripeInvoiceId: invoice.id } });
    const plan = this.deps.plans.plans.find(
      (candidate) => candidate.id === invoice.parent?.subscription_details?.metadata?.["planId"],
    );
    const paidAt = invoice.status_transitions.paid_at;
    const fields = {
      status,
      amountCents: invoice.amount_due,
      currency: invoice.currency,
      paidAt: paidAt ? new Date(paidAt * 1000) : null,
    };
    if (existing) {
      if (existing.status !== "REFUNDED" && existing.status !== status) {
        await tx.payment.update({ where: { id: existing.id }, data: fields });
      }
    } else {
      await tx.payment.create({
        data: {
          id: randomUUID(),
          userId: customer.userId,
          kind: "SUBSCRIPTION",
          description: plan ? `${plan.name} membership` : "Premium membership",
          stripeInvoiceId: invoice.id,
          createdAt: new Date(invoice.created * 1000),
          ...fields,
        },
      });
    }
    return subscriptionId;
  }

  private async markSucceeded(tx: PrismaTransaction, payment: PaymentRow, intentId: string | null) {
    if (payment.status === "SUCCEEDED" || payment.status === "REFUNDED") return;
    const paidAt = new Date();
    await tx.payment.update({
      where: { id: payment.id },
      data: { status: "SUCCEEDED", paidAt, stripePaymentIntentId: intentId },
    });
    if (payment.kind === "ENTRY" && payment.competitionId && payment.userId) {
      // Two Checkout sessions of one entry both paid: the second is refunded, not entered twice.
      await lockStripeObject(tx, `entry:${payment.competitionId}:${payment.userId}`);
      const earlier = await tx.payment.findFirst({
        where: {
          competitionId: payment.competitionId,
          userId: payment.userId,
          status: "SUCCEEDED",
          id: { not: payment.id },
        },
      });
      if (earlier && intentId) {
        await this.deps.stripe.refunds.create(
          { payment_intent: intentId, reason: "duplicate", metadata: { paymentId: payment.id } },
          { idempotencyKey: `pulse-refund-${payment.id}` },
        );
        await tx.payment.update({ where: { id: payment.id }, data: { refundRequestedAt: paidAt } });
        return;
      }
      await this.deps.outbox.record(tx, "entry.paid", {
        paymentId: payment.id,
        competitionId: payment.competitionId,
        userId: payment.userId,
        amountCents: payment.amountCents,
        currency: payment.currency,
        paidAt: paidAt.toISOString(),
      });
    }
  }

  private async retrieve<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (isResourceMissing(error)) return null;
      throw error;
    }
  }
}

function invoiceStatus(invoice: Stripe.Invoice): string {
  switch (invoice.status) {
    case "paid":
      return "SUCCEEDED";
    case "open":
      return invoice.attempted ? "FAILED" : "PENDING";
    case "void":
    case "uncollectible":
      return "FAILED";
    default:
      return "PENDING";
  }
}
