import { Field, ID, ObjectType } from "type-graphql";

@ObjectType("CheckoutSession", {
  description:
    "A Stripe Checkout session: open `url` to pay. What it buys becomes active only when Stripe's webhook confirms the payment.",
})
export class CheckoutSession {
  @Field(() => ID, { description: "Stripe's id of the session (`cs_...`)." })
  sessionId!: string;

  @Field(() => String, { description: "The hosted Checkout page." })
  url!: string;
}

@ObjectType("BillingPortalSession", {
  description: "A Stripe billing portal session: manage or cancel the membership, see invoices.",
})
export class BillingPortalSession {
  @Field(() => String, { description: "The hosted portal page." })
  url!: string;
}
