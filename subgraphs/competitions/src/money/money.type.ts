import { Directive, Field, Int, ObjectType } from "type-graphql";

/** A value type shared with billing (hence `@shareable`): both declare it identically. */
@Directive("@shareable")
@ObjectType("Money", { description: "An amount of money in a currency's smallest unit." })
export class Money {
  @Field(() => Int, { description: "The amount in the currency's smallest unit (cents for usd)." })
  amountCents!: number;

  @Field(() => String, { description: "ISO 4217 code, lower case (usd)." })
  currency!: string;
}
