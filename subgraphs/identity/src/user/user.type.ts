import { Role } from "@pulse/db";
import { DateTimeScalar } from "@pulse/platform/subgraph";
import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";

registerEnumType(Role, {
  name: "Role",
  description: "What a person may do beyond their own data.",
  valuesConfig: {
    USER: { description: "A member of the app." },
    ADMIN: { description: "Staff who may moderate and manage the app." },
  },
});

/** The federated `User` entity; identity owns its account fields. */
@Directive('@key(fields: "id")')
@ObjectType("User", {
  description:
    "A person with an account. Identity owns the account fields; other subgraphs add theirs (profile, matches, memberships, ...).",
})
export class User {
  @Field(() => ID, { description: "Stable unique id of the person." })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Sign-in email address. Private: visible to its owner only, null for everyone else.",
  })
  email!: string | null;

  @Field(() => Role, { description: "The person's role." })
  role!: Role;

  @Field(() => Boolean, { description: "Whether the person confirmed their email address." })
  emailVerified!: boolean;

  @Field(() => DateTimeScalar, { description: "When the account was created." })
  createdAt!: Date;
}
