import { Field, InputType } from "type-graphql";

@InputType("RegisterInput", { description: "What it takes to create an account." })
export class RegisterInput {
  @Field(() => String, {
    description: "Email address to sign in with; compared case-insensitively.",
  })
  email!: string;

  @Field(() => String, {
    description:
      "8+ characters with an upper-case letter, a lower-case letter, a digit and one of `!@#$%^&*`.",
  })
  password!: string;
}

@InputType("LoginInput", { description: "Credentials to sign in with." })
export class LoginInput {
  @Field(() => String, { description: "The account's email address." })
  email!: string;

  @Field(() => String, { description: "The account's password." })
  password!: string;
}
