import type { Account } from "@pulse/db";
import { DateTimeScalar } from "@pulse/platform/subgraph";
import { Field, ObjectType } from "type-graphql";
import { User } from "../user/user.type.ts";

/** A fresh pair of tokens and the person they belong to. */
@ObjectType("AuthPayload", {
  description: "The tokens of a signed-in session and the person they belong to.",
})
export class AuthPayload {
  @Field(() => String, {
    description: "Short-lived JWT (15 minutes) to send as `Authorization: Bearer <accessToken>`.",
  })
  accessToken!: string;

  @Field(() => DateTimeScalar, { description: "When the access token expires." })
  accessTokenExpiresAt!: Date;

  @Field(() => String, {
    description:
      "Single-use token (7 days) for `refreshSession`. Store it securely; using it twice signs the session out.",
  })
  refreshToken!: string;

  @Field(() => User, { description: "The signed-in person." })
  user!: Account;
}
