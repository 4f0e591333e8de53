import type { Logger } from "@pulse/platform/server";
import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import type Stripe from "stripe";
import type { MembershipService } from "../membership/membership.service.ts";
import { lockStripeObject } from "../stripe/stripe-lock.query.ts";
import { isResourceMissing } from "../stripe/stripe-client.adapter.ts";

/**
 * A deleted account: its Stripe subscription is canceled at once and its Stripe customer
 * deleted; its payments stay for accounting without the person's id; its membership ends
 * (`membership.changed` says so).
 */
export function forgetDeletedUser(stripe: Stripe, memberships: MembershipService, logger: Logger) {
  return async (event: DomainEvent<"user.deleted">, tx: PrismaTransaction): Promise<void> => {
    const { userId } = event.payload;
    // Webhooks about this person wait until the deletion committed, then find nobody.
    await lockStripeObject(tx, `user:${userId}`);
    const membership = await tx.membership.findUnique({ where: { userId } });
    if (membership?.stripeSubscriptionId && membership.status !== "CANCELED") {
      try {
        await stripe.subscriptions.cancel(membership.stripeSubscriptionId);
      } catch (error) {
        if (!isResourceMissing(error) && !isAlreadyCanceled(error)) throw error;
      }
    }
    const customer = await tx.billingCustomer.findUnique({ where: { userId } });
    if (customer) {
      try {
        await stripe.customers.del(customer.stripeCustomerId);
      } catch (error) {
        if (!isResourceMissing(error)) throw error;
      }
      await tx.billingCustomer.delete({ where: { userId } });
    }
    await memberships.forget(tx, userId);
    const kept = await tx.payment.updateMany({ where: { userId }, data: { userId: null } });
    logger.info({ userId, payments: kept.count }, "billing forgot a deleted person");
  };
}

function isAlreadyCanceled(error: unknown): boolean {
  return error instanceof Error && /already canceled/i.test(error.message);
}
