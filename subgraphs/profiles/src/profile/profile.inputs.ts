import { DateScalar } from "@pulse/platform/subgraph";
import { Field, Float, InputType, Int } from "type-graphql";
import { Gender } from "./gender.ts";

@InputType("ProfileInput", { description: "A whole profile; replaces the viewer's current one." })
export class ProfileInput {
  @Field(() => String, { description: "Name shown to others, 1..50 characters." })
  displayName!: string;

  @Field(() => String, {
    description: "3..30 letters, digits, `_` or `.`; must be unique regardless of case.",
  })
  username!: string;

  @Field(() => DateScalar, { description: "Date of birth (`YYYY-MM-DD`); people must be 18+." })
  birthdate!: string;

  @Field(() => Gender, { description: "The person's gender." })
  gender!: Gender;

  @Field(() => [Gender], { description: "Genders the person is interested in; at least one." })
  interestedIn!: Gender[];

  @Field(() => String, {
    nullable: true,
    description: "Free text about the person, ≤ 500 characters; absent or empty clears it.",
  })
  bio?: string | null;
}

@InputType("PreferencesInput", { description: "Whom discovery should show the viewer." })
export class PreferencesInput {
  @Field(() => Int, { description: "Youngest age to show, 18 or more." })
  minAge!: number;

  @Field(() => Int, { description: "Oldest age to show, at most 100 and not below `minAge`." })
  maxAge!: number;

  @Field(() => Int, { description: "Farthest distance to show, in kilometres (1..500)." })
  maxDistanceKm!: number;

  @Field(() => [Gender], { description: "Genders to show; at least one." })
  genders!: Gender[];
}

@InputType("LocationInput", { description: "Where the viewer is." })
export class LocationInput {
  @Field(() => Float, { description: "Degrees north of the equator, -90..90." })
  latitude!: number;

  @Field(() => Float, { description: "Degrees east of Greenwich, -180..180." })
  longitude!: number;

  @Field(() => String, { nullable: true, description: "City name, ≤ 100 characters." })
  city?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Country as an ISO 3166 alpha-2 code, e.g. `DE` (any case).",
  })
  country?: string | null;
}
