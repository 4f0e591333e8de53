import { PageInfo } from "@pulse/platform/subgraph";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../money/money.type.ts";

export enum PaymentStatus {
  SUCCEEDED = "SUCCEEDED",
  PENDING = "PENDING",
  FAILED = "FAILED",
  REFUNDED = "REFUNDED",
}

registerEnumType(PaymentStatus, {
  name: "PaymentStatus",
  description: "Where a payment stands, as Stripe's webhooks said.",
  valuesConfig: {
    SUCCEEDED: { description: "Paid." },
    PENDING: { description: "Started; Stripe has not confirmed it yet." },
    FAILED: { description: "Declined or abandoned." },
    REFUNDED: { description: "Paid, then refunded in full." },
  },
});

@ObjectType("Payment", {
  description: "A payment: a membership invoice or a competition's entry fee.",
})
export class Payment {
  @Field(() => ID, { description: "Stable unique id of the payment." })
  id!: string;

  @Field(() => Money, { description: "What was (or is to be) paid." })
  amount!: Money;

  @Field(() => PaymentStatus, { description: "Where the payment stands." })
  status!: PaymentStatus;

  @Field(() => String, { description: "What was paid for." })
  description!: string;

  @Field(() => ID, {
    nullable: true,
    description: "The competition whose entry fee this pays; null for membership invoices.",
  })
  competitionId!: string | null;

  @Field(() => Date, { description: "When the payment was started." })
  createdAt!: Date;
}

@ObjectType("PaymentEdge", { description: "A payment in a page of payments." })
export class PaymentEdge {
  @Field(() => String, { description: "Opaque cursor of this payment; pass it as `after`." })
  cursor!: string;

  @Field(() => Payment, { description: "The payment." })
  node!: Payment;
}

@ObjectType("PaymentConnection", { description: "A page of a person's payments, newest first." })
export class PaymentConnection {
  @Field(() => [PaymentEdge], { description: "The payments of this page." })
  edges!: PaymentEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}
