import { randomUUID } from "node:crypto";
import { badUserInput, conflict, notFound } from "@pulse/platform/server";
import type { PrismaClient } from "@pulse/platform/subgraph";
import type Stripe from "stripe";
import type { BillingConfig } from "../config.ts";
import type { CustomerService } from "../customer/customer.service.ts";
import { isLive } from "../membership/membership.rules.ts";
import type { PaymentService } from "../payment/payment.service.ts";
import type { PlanCatalog } from "../plan/plan-catalog.service.ts";
import { isUuid } from "./checkout.input.ts";
import type { BillingPortalSession, CheckoutSession } from "./checkout.type.ts";

type Urls = Pick<
  BillingConfig,
  "CHECKOUT_SUCCESS_URL" | "CHECKOUT_CANCEL_URL" | "BILLING_PORTAL_RETURN_URL"
>;

/**
 * Starts Stripe Checkout (memberships, entry fees) and the billing portal. Nothing here makes
 * anyone premium or paid: only Stripe's webhooks do.
 */
export class CheckoutService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      stripe: Stripe;
      plans: PlanCatalog;
      customers: CustomerService;
      payments: PaymentService;
      urls: Urls;
    },
  ) {}

  /** A subscription-mode Checkout session for `planId`. */
  async startCheckout(userId: string, planId: string): Promise<CheckoutSession> {
    const plan = this.deps.plans.byId(planId);
    if (!plan) throw notFound("No such plan");
    const membership = await this.deps.prisma.membership.findUnique({ where: { userId } });
    if (membership && isLive(membership.status) && membership.planId === plan.id) {
      throw conflict("You are already a member of this plan", "planId");
    }
    const customer = await this.deps.customers.ensure(userId);
    const session = await this.deps.stripe.checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: userId,
      line_items: [{ price: plan.stripePriceId, quantity: 1 }],
      metadata: { userId, planId: plan.id },
      subscription_data: { metadata: { userId, planId: plan.id } },
      success_url: this.deps.urls.CHECKOUT_SUCCESS_URL,
      cancel_url: this.deps.urls.CHECKOUT_CANCEL_URL,
    });
    return { sessionId: session.id, url: session.url! };
  }

  /** A billing portal session for the viewer's Stripe customer. */
  async openBillingPortal(userId: string): Promise<BillingPortalSession> {
    const customer = await this.deps.customers.find(userId);
    if (!customer) {
      throw badUserInput("viewer", "You have no billing account yet: start a checkout first");
    }
    const session = await this.deps.stripe.billingPortal.sessions.create({
      customer,
      return_url: this.deps.urls.BILLING_PORTAL_RETURN_URL,
    });
    return { url: session.url };
  }

  /** A payment-mode Checkout session for a competition's entry fee, as competitions set it. */
  async payCompetitionEntry(userId: string, competitionId: string): Promise<CheckoutSession> {
    const competition = isUuid(competitionId)
      ? await this.deps.prisma.billingCompetition.findUnique({ where: { id: competitionId } })
      : null;
    if (!competition) throw notFound("No such competition");
    if (competition.entryFeeCents === 0) {
      throw badUserInput("competitionId", "This competition is free: join it directly");
    }
    if (competition.endsAt.getTime() <= Date.now()) {
      throw badUserInput("competitionId", "This competition has finished");
    }
    const paid = await this.deps.prisma.payment.findFirst({
      where: { competitionId, userId, status: "SUCCEEDED" },
    });
    if (paid) throw conflict("You already paid this competition's entry", "competitionId");
    const customer = await this.deps.customers.ensure(userId);
    const paymentId = randomUUID();
    const description = `Entry fee: ${competition.name}`;
    const metadata = { paymentId, competitionId, userId, kind: "ENTRY" };
    const session = await this.deps.stripe.checkout.sessions.create(
      {
        mode: "payment",
        customer,
        client_reference_id: userId,
        line_items: [
          {
            price_data: {
              currency: competition.currency,
              unit_amount: competition.entryFeeCents,
              product_data: { name: description },
            },
            quantity: 1,
          },
        ],
        metadata,
        payment_intent_data: { metadata, description },
        success_url: this.deps.urls.CHECKOUT_SUCCESS_URL,
        cancel_url: this.deps.urls.CHECKOUT_CANCEL_URL,
      },
      { idempotencyKey: `pulse-entry-${paymentId}` },
    );
    await this.deps.payments.recordEntryStarted({
      id: paymentId,
      userId,
      competitionId,
      amountCents: competition.entryFeeCents,
      currency: competition.currency,
      description,
      stripeCheckoutSessionId: session.id,
    });
    return { sessionId: session.id, url: session.url! };
  }
}
