import type { Photo as PhotoRow, Profile as ProfileRow } from "@pulse/db";
import { requireViewer } from "@pulse/platform/server";
import { DateScalar, sameForEveryone } from "@pulse/platform/subgraph";
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Float, Info, Int, Mutation, Resolver, Root } from "type-graphql";
import type { ProfilesContext } from "../context.ts";
import { Photo } from "../photo/photo.type.ts";
import { CARD_PUBLIC_SECONDS } from "./profile-cards.service.ts";
import { ageOn, toCalendarDate } from "./calendar.rules.ts";
import { completeness } from "./completeness.rules.ts";
import { Location } from "./location.type.ts";
import { Preferences } from "./preferences.type.ts";
import { LocationInput, PreferencesInput, ProfileInput } from "./profile.input.ts";
import { Profile } from "./profile.type.ts";
import { toLocation, toPreferences } from "./profile.view.ts";

@Resolver(() => Profile)
export class ProfileResolver {
  @Mutation(() => Profile, {
    description:
      "Creates the viewer's profile (with default preferences: ages 18..99, 50 km, the genders they are interested in) or replaces it.",
  })
  upsertProfile(
    @Arg("input", () => ProfileInput, { description: "The whole profile." }) input: ProfileInput,
    @Ctx() ctx: ProfilesContext,
  ): Promise<ProfileRow> {
    return ctx.profiles.upsert(requireViewer(ctx), input);
  }

  @Mutation(() => Preferences, {
    description: "Sets whom discovery shows the viewer. Needs a profile (NOT_FOUND otherwise).",
  })
  async updatePreferences(
    @Arg("input", () => PreferencesInput, { description: "The new preferences." })
    input: PreferencesInput,
    @Ctx() ctx: ProfilesContext,
  ): Promise<Preferences> {
    return toPreferences(await ctx.profiles.updatePreferences(requireViewer(ctx), input));
  }

  @Mutation(() => Location, {
    description: "Sets where the viewer is. Needs a profile (NOT_FOUND otherwise).",
  })
  async updateLocation(
    @Arg("input", () => LocationInput, { description: "The viewer's location." })
    input: LocationInput,
    @Ctx() ctx: ProfilesContext,
  ): Promise<Location> {
    return toLocation(await ctx.profiles.updateLocation(requireViewer(ctx), input))!;
  }

  @FieldResolver(() => DateScalar)
  birthdate(@Root() profile: ProfileRow): string {
    return toCalendarDate(profile.birthdate);
  }

  @FieldResolver(() => Int)
  age(@Root() profile: ProfileRow): number {
    return ageOn(profile.birthdate, new Date());
  }

  @FieldResolver(() => Location, { nullable: true })
  location(@Root() profile: ProfileRow, @Ctx() ctx: ProfilesContext): Location | null {
    return ctx.viewer?.id === profile.userId ? toLocation(profile) : null;
  }

  @FieldResolver(() => [Photo])
  async photos(
    @Root() profile: ProfileRow,
    @Ctx() ctx: ProfilesContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PhotoRow[]> {
    sameForEveryone(info, CARD_PUBLIC_SECONDS);
    return (await ctx.loaders.card.load(profile.userId)).photos;
  }

  @FieldResolver(() => Float)
  async completeness(@Root() profile: ProfileRow, @Ctx() ctx: ProfilesContext): Promise<number> {
    return completeness(profile, (await ctx.loaders.card.load(profile.userId)).photos.length);
  }
}
