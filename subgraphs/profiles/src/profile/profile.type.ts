import { DateScalar } from "@pulse/platform/subgraph";
import { Field, Float, Int, ObjectType } from "type-graphql";
import { Photo } from "../photo/photo.type.ts";
import { Gender } from "./gender.type.ts";
import { Location } from "./location.type.ts";

@ObjectType("Profile", { description: "What a person shows others about themselves." })
export class Profile {
  @Field(() => String, { description: "Name shown to others, 1..50 characters." })
  displayName!: string;

  @Field(() => String, {
    description:
      "Unique handle: 3..30 letters, digits, `_` or `.`, unique regardless of case; shown as typed.",
  })
  username!: string;

  @Field(() => String, {
    nullable: true,
    description: "Free text about the person, ≤ 500 characters.",
  })
  bio!: string | null;

  @Field(() => DateScalar, { description: "Date of birth." })
  birthdate!: string;

  @Field(() => Int, { description: "Age in whole years, derived from the birthdate (18 or more)." })
  age!: number;

  @Field(() => Gender, { description: "The person's gender." })
  gender!: Gender;

  @Field(() => [Gender], { description: "Genders the person is interested in." })
  interestedIn!: Gender[];

  @Field(() => Location, {
    nullable: true,
    description:
      "Where the person last said they are. Private: shown to its owner only, null for others and until shared.",
  })
  location!: Location | null;

  @Field(() => [Photo], {
    description: "Visible (confirmed) photos in display order; the first is the primary one.",
  })
  photos!: Photo[];

  @Field(() => Float, {
    description:
      "How complete the profile is, 0..1: required fields 0.2, bio 0.15, location 0.15, photos 0.5 (a third each, up to 3).",
  })
  completeness!: number;
}
