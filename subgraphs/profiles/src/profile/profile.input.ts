import { DateScalar } from "@pulse/platform/subgraph";
import { Field, Float, InputType, Int } from "type-graphql";
import { Gender } from "./gender.type.ts";
import { z } from "zod";
import { ageOn, fromCalendarDate } from "./calendar.rules.ts";
import { ISO_COUNTRY_CODES } from "./country-codes.rules.ts";
import { USERNAME_PATTERN } from "./username.rules.ts";

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

/** People must be adults to use the app. */
export const MINIMUM_AGE = 18;
/** The oldest age a birthdate may imply, and the top of the preferred age range. */
export const MAXIMUM_AGE = 100;

const gender = z.enum(["FEMALE", "MALE", "NON_BINARY"]);
const genders = (what: string) =>
  z
    .array(gender)
    .min(1, `Pick at least one gender ${what}`)
    .transform((list) => [...new Set(list)]);
/** Optional text: trimmed, and empty means absent. */
const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} must be at most ${max} characters`)
    .nullish()
    .transform((value) => value || null);

/** `ProfileInput`, checked as of `today` (for the age rule). */
export function profileInputSchema(today: Date) {
  return z.object({
    displayName: z
      .string()
      .trim()
      .min(1, "Display name must not be empty")
      .max(50, "Display name must be at most 50 characters"),
    username: z
      .string()
      .trim()
      .regex(USERNAME_PATTERN, "Username must be 3 to 30 letters, digits, '_' or '.'"),
    birthdate: z
      .string()
      .transform(fromCalendarDate)
      .refine((date) => ageOn(date, today) >= MINIMUM_AGE, `You must be ${MINIMUM_AGE} or older`)
      .refine((date) => ageOn(date, today) <= MAXIMUM_AGE, "Birthdate is not plausible"),
    gender,
    interestedIn: genders("you are interested in"),
    bio: optionalText(500, "Bio"),
  });
}

export type ValidProfileInput = z.output<ReturnType<typeof profileInputSchema>>;

/** `PreferencesInput`: an adult age range, a search radius and at least one gender. */
export const preferencesInputSchema = z
  .object({
    minAge: z.number().int().min(MINIMUM_AGE, `Minimum age must be at least ${MINIMUM_AGE}`),
    maxAge: z.number().int().max(MAXIMUM_AGE, `Maximum age must be at most ${MAXIMUM_AGE}`),
    maxDistanceKm: z
      .number()
      .int()
      .min(1, "Distance must be at least 1 km")
      .max(500, "Distance must be at most 500 km"),
    genders: genders("to see"),
  })
  .refine((input) => input.minAge <= input.maxAge, {
    path: ["maxAge"],
    message: "Maximum age must not be below minimum age",
  });

export type ValidPreferencesInput = z.output<typeof preferencesInputSchema>;

/** `LocationInput`: coordinates on Earth, an optional city and an ISO 3166 alpha-2 country. */
export const locationInputSchema = z.object({
  latitude: z
    .number()
    .min(-90, "Latitude must be between -90 and 90")
    .max(90, "Latitude must be between -90 and 90"),
  longitude: z
    .number()
    .min(-180, "Longitude must be between -180 and 180")
    .max(180, "Longitude must be between -180 and 180"),
  city: optionalText(100, "City"),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine((code) => ISO_COUNTRY_CODES.has(code), "Country must be an ISO 3166 alpha-2 code")
    .nullish()
    .transform((value) => value ?? null),
});

export type ValidLocationInput = z.output<typeof locationInputSchema>;
