import type { Account } from "@pulse/db";
import { requireViewer } from "@pulse/platform/server";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { IdentityContext } from "../context.ts";
import { User } from "./user.type.ts";
import { isOwnerView, type VisibleAccount } from "./user-visibility.rules.ts";

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, {
    nullable: true,
    description: "The signed-in person, or null without a valid access token.",
  })
  me(@Ctx() ctx: IdentityContext): Promise<Account | null> | null {
    return ctx.viewer ? ctx.loaders.account.load(ctx.viewer.id) : null;
  }

  @Query(() => User, {
    nullable: true,
    description: "A person by id, or null if there is none. Requires signing in.",
  })
  user(
    @Arg("id", () => ID, { description: "The person's id." }) id: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<Account | null> {
    requireViewer(ctx);
    return ctx.loaders.account.load(id);
  }

  @FieldResolver(() => String, { nullable: true })
  email(@Root() account: VisibleAccount, @Ctx() ctx: IdentityContext): string | null {
    return isOwnerView(account, ctx.viewer) ? account.email : null;
  }

  @FieldResolver(() => Boolean)
  emailVerified(@Root() account: Account): boolean {
    return account.emailVerifiedAt !== null;
  }
}
