import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { BillingContext } from "../context.ts";
import { Membership, MembershipStatus } from "../membership/membership.type.ts";
import { Payment, PaymentStatus } from "../payment/payment.type.ts";
import { toPlan } from "../plan/plan.view.ts";
import { User } from "./user.type.ts";

@Resolver(() => User)
export class UserBillingResolver {
  @FieldResolver(() => Boolean, {
    description:
      "Whether the person has premium: an ACTIVE, TRIALING or PAST_DUE membership (PAST_DUE while Stripe retries a failed invoice).",
  })
  async isPremium(@Root() user: User, @Ctx() ctx: BillingContext): Promise<boolean> {
    return (await ctx.loaders.membership.load(user.id))?.isPremium ?? false;
  }

  @FieldResolver(() => Membership, {
    nullable: true,
    description:
      "The person's premium membership, null without one. Private: visible to its owner only, null for everyone else.",
  })
  async membership(@Root() user: User, @Ctx() ctx: BillingContext): Promise<Membership | null> {
    if (ctx.viewer?.id !== user.id) return null;
    const row = await ctx.loaders.membership.load(user.id);
    const plan = row?.planId ? ctx.plans.byId(row.planId) : undefined;
    if (!row?.status || !plan || !row.currentPeriodEnd) return null;
    return {
      plan: toPlan(plan),
      status: MembershipStatus[row.status as MembershipStatus],
      currentPeriodEnd: row.currentPeriodEnd,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    };
  }

  @FieldResolver(() => [Payment], {
    nullable: true,
    description:
      "The person's payments, newest first. Private: visible to their owner only, null for everyone else.",
  })
  async payments(
    @Root() user: User,
    @Ctx() ctx: BillingContext,
    @Arg("first", () => Int, {
      nullable: true,
      defaultValue: 20,
      description: "How many, newest first: 20 by default, at most 100.",
    })
    first: number | null,
  ): Promise<Payment[] | null> {
    if (ctx.viewer?.id !== user.id) return null;
    const rows = await ctx.payments.list(user.id, first ?? 20);
    return rows.map((row) => ({
      id: row.id,
      amount: { amountCents: row.amountCents, currency: row.currency },
      status: PaymentStatus[row.status as PaymentStatus],
      description: row.description,
      competitionId: row.competitionId,
      createdAt: row.createdAt,
    }));
  }
}
