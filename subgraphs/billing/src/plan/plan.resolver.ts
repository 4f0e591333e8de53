import { Ctx, Query, Resolver } from "type-graphql";
import type { BillingContext } from "../context.ts";
import { Plan } from "./plan.type.ts";
import { toPlan } from "./plan.view.ts";

@Resolver(() => Plan)
export class PlanResolver {
  @Query(() => [Plan], { description: "The premium plans on sale." })
  plans(@Ctx() ctx: BillingContext): Plan[] {
    return ctx.plans.plans.map(toPlan);
  }
}
