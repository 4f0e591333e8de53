import { Field, InputType } from "type-graphql";

@InputType("ChangePasswordInput", { description: "The current password and its replacement." })
export class ChangePasswordInput {
  @Field(() => String, { description: "The password in use now." })
  currentPassword!: string;

  @Field(() => String, { description: "The new password; same rules as at registration." })
  newPassword!: string;
}

@InputType("ResetPasswordInput", { description: "A mailed reset token and the new password." })
export class ResetPasswordInput {
  @Field(() => String, { description: "The token from the password-reset email." })
  token!: string;

  @Field(() => String, { description: "The new password; same rules as at registration." })
  newPassword!: string;
}
