import { Directive, Field, Int, ObjectType } from "type-graphql";

/** Shared with competitions (entry fees): a value type both subgraphs declare alike. */
@Directive("@shareable")
@ObjectType("Money", { description: "An amount of money in a currency's smallest unit." })
export class Money {
  @Field(() => Int, { description: "The amount in the currency's smallest unit (cents for usd)." })
  amountCents!: number;

  @Field(() => String, { description: "ISO 4217 code, lower case (usd)." })
  currency!: string;
}
