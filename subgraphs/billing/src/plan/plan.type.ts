import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../money/money.type.ts";

export enum PlanInterval {
  MONTH = "MONTH",
  YEAR = "YEAR",
}

registerEnumType(PlanInterval, {
  name: "PlanInterval",
  description: "How often a plan is billed.",
  valuesConfig: {
    MONTH: { description: "Every month." },
    YEAR: { description: "Every year." },
  },
});

@ObjectType("Plan", { description: "A premium membership plan." })
export class Plan {
  @Field(() => ID, { description: "Stable id of the plan (`premium-monthly`, `premium-yearly`)." })
  id!: string;

  @Field(() => String, { description: "Name shown to people." })
  name!: string;

  @Field(() => PlanInterval, { description: "How often the plan is billed." })
  interval!: PlanInterval;

  @Field(() => Money, { description: "What each billing interval costs." })
  price!: Money;

  @Field(() => [String], { description: "What the plan gives, one line each." })
  features!: string[];
}
