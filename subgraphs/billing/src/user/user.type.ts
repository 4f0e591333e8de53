import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The federated `User` entity, owned by identity; billing adds `isPremium`, `membership`, `payments`. */
@Directive('@key(fields: "id")')
@ObjectType("User", {
  description:
    "A person with an account. Identity owns the account fields; other subgraphs add theirs (profile, matches, memberships, ...).",
})
export class User {
  @Field(() => ID, { description: "Stable unique id of the person." })
  id!: string;
}
