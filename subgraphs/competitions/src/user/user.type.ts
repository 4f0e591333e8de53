import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * The `User` entity as competitions refers to it: a key only. Identity owns the account and
 * profiles the profile; the gateway fetches those fields from them.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType("User", {
  description:
    "A person with an account. Identity owns the account fields; other subgraphs add theirs (profile, matches, memberships, ...).",
})
export class User {
  @Field(() => ID, { description: "Stable unique id of the person." })
  id!: string;
}

/** A reference to a person, for the gateway to resolve in the subgraphs that own their fields. */
export interface UserRef {
  id: string;
}
