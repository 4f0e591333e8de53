import type { Profile as ProfileRow } from "@pulse/db";
import { sameForEveryone } from "@pulse/platform/subgraph";
import type { GraphQLResolveInfo } from "graphql";
import { Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import type { ProfilesContext } from "../context.ts";
import { Preferences } from "../profile/preferences.type.ts";
import { CARD_PUBLIC_SECONDS } from "../profile/profile-cards.service.ts";
import { Profile } from "../profile/profile.type.ts";
import { toPreferences } from "../profile/profile.view.ts";
import { User } from "./user.type.ts";

@Resolver(() => User)
export class UserProfileResolver {
  @FieldResolver(() => Profile, {
    nullable: true,
    description: "What the person shows others, or null until they create a profile.",
  })
  async profile(
    @Root() user: User,
    @Ctx() ctx: ProfilesContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProfileRow | null> {
    sameForEveryone(info, CARD_PUBLIC_SECONDS);
    return (await ctx.loaders.card.load(user.id)).profile;
  }

  @FieldResolver(() => Preferences, {
    nullable: true,
    description:
      "Whom the person wants discovery to show them. Private: visible to its owner only, null for everyone else (and without a profile).",
  })
  async preferences(@Root() user: User, @Ctx() ctx: ProfilesContext): Promise<Preferences | null> {
    if (ctx.viewer?.id !== user.id) return null;
    const { profile } = await ctx.loaders.card.load(user.id);
    return profile && toPreferences(profile);
  }
}
