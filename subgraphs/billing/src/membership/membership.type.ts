import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Plan } from "../plan/plan.type.ts";

export enum MembershipStatus {
  ACTIVE = "ACTIVE",
  TRIALING = "TRIALING",
  PAST_DUE = "PAST_DUE",
  CANCELED = "CANCELED",
}

registerEnumType(MembershipStatus, {
  name: "MembershipStatus",
  description: "Where a membership stands, as Stripe's subscription says.",
  valuesConfig: {
    ACTIVE: { description: "Paid up: premium." },
    TRIALING: { description: "In a free trial: premium." },
    PAST_DUE: {
      description:
        "The latest invoice failed and Stripe is retrying it: premium during the retries.",
    },
    CANCELED: { description: "Ended: not premium." },
  },
});

@ObjectType("Membership", { description: "A person's premium membership." })
export class Membership {
  @Field(() => Plan, { description: "The plan subscribed to." })
  plan!: Plan;

  @Field(() => MembershipStatus, { description: "Where the membership stands." })
  status!: MembershipStatus;

  @Field(() => Date, { description: "When the paid period ends (and renews, unless canceled)." })
  currentPeriodEnd!: Date;

  @Field(() => Boolean, {
    description: "True when it ends at `currentPeriodEnd` instead of renewing.",
  })
  cancelAtPeriodEnd!: boolean;
}
