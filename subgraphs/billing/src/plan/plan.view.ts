import type { PlanDefinition } from "./plan-catalog.service.ts";
import { PlanInterval, type Plan } from "./plan.type.ts";

export function toPlan(plan: PlanDefinition): Plan {
  return {
    id: plan.id,
    name: plan.name,
    interval: PlanInterval[plan.interval],
    price: { amountCents: plan.amountCents, currency: plan.currency },
    features: plan.features,
  };
}
