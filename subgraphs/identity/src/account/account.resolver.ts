import type { Account } from "@pulse/db";
import { requireViewer } from "@pulse/platform/server";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { IdentityContext } from "../context.ts";
import { User } from "../user/user.type.ts";

@Resolver()
export class AccountResolver {
  @Mutation(() => User, { description: "Confirms an email address with the mailed token." })
  async verifyEmail(
    @Arg("token", () => String, { description: "The token from the confirmation email." })
    token: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<Account> {
    await ctx.limits.consume("verify-email:address", ctx.clientIp);
    return ctx.accounts.verifyEmail(token);
  }

  @Mutation(() => Boolean, {
    description:
      "Deletes the viewer's account for good, after checking their password. Every subgraph removes the person's data.",
  })
  deleteAccount(
    @Arg("password", () => String, { description: "The viewer's current password." })
    password: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<true> {
    return ctx.accounts.deleteAccount(requireViewer(ctx), password);
  }
}
