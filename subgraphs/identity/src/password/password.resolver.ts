import { requireViewer } from "@pulse/platform/server";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { IdentityContext } from "../context.ts";
import { ChangePasswordInput, ResetPasswordInput } from "./password.input.ts";

@Resolver()
export class PasswordResolver {
  @Mutation(() => Boolean, {
    description: "Changes the viewer's password and signs out their other sessions.",
  })
  changePassword(
    @Arg("input", () => ChangePasswordInput, { description: "Current and new password." })
    input: ChangePasswordInput,
    @Ctx() ctx: IdentityContext,
  ): Promise<true> {
    return ctx.passwords.changePassword(
      requireViewer(ctx),
      input.currentPassword,
      input.newPassword,
    );
  }

  @Mutation(() => Boolean, {
    description:
      "Mails a password-reset link if the email has an account. Always true: it never reveals whether an email is registered.",
  })
  async requestPasswordReset(
    @Arg("email", () => String, { description: "The account's email address." }) email: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<true> {
    await ctx.limits.consume("password-reset:address", ctx.clientIp);
    return ctx.passwords.requestReset(email, ctx.requestId);
  }

  @Mutation(() => Boolean, {
    description: "Sets a new password with a mailed reset token and signs out every session.",
  })
  async resetPassword(
    @Arg("input", () => ResetPasswordInput, { description: "Reset token and new password." })
    input: ResetPasswordInput,
    @Ctx() ctx: IdentityContext,
  ): Promise<true> {
    await ctx.limits.consume("reset-password:address", ctx.clientIp);
    return ctx.passwords.resetPassword(input.token, input.newPassword);
  }
}
