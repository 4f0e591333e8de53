import { type Logger } from "@pulse/platform/server";
import type { Outbox, PrismaClient, PrismaTransaction } from "@pulse/platform/subgraph";
import type Stripe from "stripe";
import type { PlanCatalog } from "../plan/plan-catalog.service.ts";
import { lockStripeObject } from "../stripe/stripe-lock.query.ts";
import { idOf, isResourceMissing } from "../stripe/stripe-client.adapter.ts";
import { membershipState } from "./membership.rules.ts";

/** What a membership row holds that `membership.changed` carries. */
interface MembershipSnapshot {
  stripeSubscriptionId: string | null;
  planId: string | null;
  status: string | null;
  isPremium: boolean;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

/**
 * Memberships follow Stripe's subscriptions: each change is taken from the subscription as
 * Stripe holds it now, never from an event's copy (events arrive late, twice, out of order).
 */
export class MembershipService {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      stripe: Stripe;
      outbox: Outbox;
      plans: PlanCatalog;
      logger: Logger;
    },
  ) {}

  /** Reads subscription `subscriptionId` from Stripe and applies it, in `tx`. */
  async syncFromStripe(tx: PrismaTransaction, subscriptionId: string): Promise<void> {
    await lockStripeObject(tx, subscriptionId);
    let subscription: Stripe.Subscription;
    try {
      subscription = await this.deps.stripe.subscriptions.retrieve(subscriptionId);
    } catch (error) {
      if (isResourceMissing(error)) return;
      throw error;
    }
    await this.apply(tx, subscription);
  }

  /** Applies `subscription` (as Stripe holds it now) to its person's membership. */
  async apply(tx: PrismaTransaction, subscription: Stripe.Subscription): Promise<void> {
    const state = membershipState(subscription.status);
    if (!state) return;
    const userId = await this.ownerOf(tx, subscription);
    if (!userId) {
      this.deps.logger.warn({ subscriptionId: subscription.id }, "subscription of nobody we know");
      return;
    }
    // One writer per person at a time; a deletion that committed meanwhile wins.
    await lockStripeObject(tx, `user:${userId}`);
    if (!(await this.ownerOf(tx, subscription))) return;
    const item = subscription.items.data[0];
    const existing = await tx.membership.findUnique({ where: { userId } });
    if (
      existing?.stripeSubscriptionId &&
      existing.stripeSubscriptionId !== subscription.id &&
      existing.isPremium &&
      !state.isPremium
    ) {
      // An older subscription ending does not end the newer one that replaced it.
      return;
    }
    const next: MembershipSnapshot = {
      stripeSubscriptionId: subscription.id,
      planId: (item && this.deps.plans.byPriceId(item.price.id)?.id) ?? null,
      status: state.status,
      isPremium: state.isPremium,
      currentPeriodEnd: item ? new Date(item.current_period_end * 1000) : null,
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
    };
    await this.write(tx, userId, existing, next);
  }

  /** The person's membership ends at once and forgets its subscription (account deleted). */
  async forget(tx: PrismaTransaction, userId: string): Promise<void> {
    await lockStripeObject(tx, `user:${userId}`);
    const existing = await tx.membership.findUnique({ where: { userId } });
    if (!existing) return;
    await this.write(tx, userId, existing, {
      stripeSubscriptionId: null,
      planId: null,
      status: null,
      isPremium: false,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
    });
  }

  private async write(
    tx: PrismaTransaction,
    userId: string,
    existing: (MembershipSnapshot & { version: number }) | null,
    next: MembershipSnapshot,
  ): Promise<void> {
    if (existing && sameSnapshot(existing, next)) return;
    const version = (existing?.version ?? 0) + 1;
    await tx.membership.upsert({
      where: { userId },
      create: { userId, ...next, version },
      update: { ...next, version },
    });
    await this.deps.outbox.record(tx, "membership.changed", {
      userId,
      version,
      isPremium: next.isPremium,
      status: next.status as "ACTIVE" | "TRIALING" | "PAST_DUE" | "CANCELED" | null,
      planId: next.planId,
      currentPeriodEnd: next.currentPeriodEnd?.toISOString() ?? null,
    });
  }

  private async ownerOf(tx: PrismaTransaction, subscription: Stripe.Subscription) {
    const customerId = idOf(subscription.customer);
    const customer = customerId
      ? await tx.billingCustomer.findUnique({ where: { stripeCustomerId: customerId } })
      : null;
    return customer?.userId ?? null;
  }
}

function sameSnapshot(a: MembershipSnapshot, b: MembershipSnapshot): boolean {
  return (
    a.stripeSubscriptionId === b.stripeSubscriptionId &&
    a.planId === b.planId &&
    a.status === b.status &&
    a.isPremium === b.isPremium &&
    a.currentPeriodEnd?.getTime() === b.currentPeriodEnd?.getTime() &&
    a.cancelAtPeriodEnd === b.cancelAtPeriodEnd
  );
}
