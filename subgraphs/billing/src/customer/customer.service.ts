import type { PrismaClient } from "@pulse/platform/subgraph";
import type Stripe from "stripe";

/** People's Stripe customers: one each, however many checkouts start at once. */
export class CustomerService {
  constructor(private readonly deps: { prisma: PrismaClient; stripe: Stripe }) {}

  /** The person's Stripe customer id, or null when they never had one. */
  async find(userId: string): Promise<string | null> {
    const row = await this.deps.prisma.billingCustomer.findUnique({ where: { userId } });
    return row?.stripeCustomerId ?? null;
  }

  /**
   * The person's Stripe customer, created on first use. The idempotency key is the person's, so
   * two concurrent calls get the same customer from Stripe and store it once.
   */
  async ensure(userId: string): Promise<string> {
    const known = await this.find(userId);
    if (known) return known;
    const customer = await this.deps.stripe.customers.create(
      { metadata: { userId } },
      { idempotencyKey: `pulse-customer-${userId}` },
    );
    await this.deps.prisma.billingCustomer.createMany({
      data: [{ userId, stripeCustomerId: customer.id }],
      skipDuplicates: true,
    });
    return (await this.find(userId))!;
  }
}
