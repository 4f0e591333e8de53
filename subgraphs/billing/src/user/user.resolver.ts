import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { BillingContext } from "../context.ts";
import { Membership, MembershipStatus } from "../membership/membership.type.ts";
import { AfterCursorArg, PageSizeArg } from "@pulse/platform/subgraph";
import { Payment, PaymentConnection } from "../payment/payment.type.ts";
import { toPayment } from "../payment/payment.view.ts";
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
    return rows.map(toPayment);
  }

  @FieldResolver(() => PaymentConnection, {
    nullable: true,
    description:
      "`payments` as a Relay connection: the person's payments, newest first. Private: visible to their owner only, null for everyone else.",
  })
  async paymentsConnection(
    @Root() user: User,
    @Ctx() ctx: BillingContext,
    @PageSizeArg() first: number | null,
    @AfterCursorArg("Cursor of the last payment of the previous page (`pageInfo.endCursor`).")
    after: string | null,
  ): Promise<PaymentConnection | null> {
    if (ctx.viewer?.id !== user.id) return null;
    const page = await ctx.payments.page(user.id, first, after);
    return {
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: toPayment(node) })),
      pageInfo: page.pageInfo,
    };
  }
}
