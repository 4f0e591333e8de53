import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The `Match` entity, owned by discovery; chat adds its `conversation`. */
@Directive('@key(fields: "id")')
@ObjectType("Match", {
  description:
    "Two people who liked each other, as seen by one of them. Ends on unmatch, block or account deletion.",
})
export class Match {
  @Field(() => ID, { description: "Stable unique id of the match." })
  id!: string;
}

/** A reference to a match, for the gateway to resolve in discovery. */
export interface MatchRef {
  id: string;
}
