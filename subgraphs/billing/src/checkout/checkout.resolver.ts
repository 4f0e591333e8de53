import { requireViewer } from "@pulse/platform/server";
import { parseInput } from "@pulse/platform/subgraph";
import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { BillingContext } from "../context.ts";
import { competitionIdInput, planIdInput } from "./checkout.input.ts";
import { BillingPortalSession, CheckoutSession } from "./checkout.type.ts";

@Resolver()
export class CheckoutResolver {
  @Mutation(() => CheckoutSession, {
    description:
      "Starts a Stripe Checkout session for a premium plan. The membership starts when Stripe's webhook confirms the payment. NOT_FOUND: unknown plan; CONFLICT: already a member of that plan.",
  })
  async startCheckout(
    @Arg("planId", () => ID, { description: "The plan to subscribe to." }) planId: string,
    @Ctx() ctx: BillingContext,
  ): Promise<CheckoutSession> {
    const viewer = requireViewer(ctx);
    await ctx.limits.consume("start-checkout:person", viewer.id);
    return ctx.checkout.startCheckout(viewer.id, parseInput(planIdInput, planId, "planId"));
  }

  @Mutation(() => BillingPortalSession, {
    description:
      "Opens Stripe's billing portal for the viewer (change or cancel the membership, invoices). BAD_USER_INPUT when they never started a checkout.",
  })
  openBillingPortal(@Ctx() ctx: BillingContext): Promise<BillingPortalSession> {
    return ctx.checkout.openBillingPortal(requireViewer(ctx).id);
  }

  @Mutation(() => CheckoutSession, {
    description:
      "Starts a Stripe Checkout session for a competition's entry fee (the fee competitions set). The entry is paid when Stripe's webhook confirms it. NOT_FOUND: unknown competition; BAD_USER_INPUT: free or finished; CONFLICT: already paid.",
  })
  async payCompetitionEntry(
    @Arg("competitionId", () => ID, { description: "The competition to pay the entry of." })
    competitionId: string,
    @Ctx() ctx: BillingContext,
  ): Promise<CheckoutSession> {
    const viewer = requireViewer(ctx);
    await ctx.limits.consume("pay-competition-entry:person", viewer.id);
    return ctx.checkout.payCompetitionEntry(
      viewer.id,
      parseInput(competitionIdInput, competitionId, "competitionId"),
    );
  }
}
