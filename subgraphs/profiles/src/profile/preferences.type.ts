import { Field, Int, ObjectType } from "type-graphql";
import { Gender } from "./gender.type.ts";

@ObjectType("Preferences", { description: "Whom a person wants discovery to show them." })
export class Preferences {
  @Field(() => Int, { description: "Youngest age to show, 18 or more." })
  minAge!: number;

  @Field(() => Int, { description: "Oldest age to show, at most 100." })
  maxAge!: number;

  @Field(() => Int, { description: "Farthest distance to show, in kilometres (1..500)." })
  maxDistanceKm!: number;

  @Field(() => [Gender], { description: "Genders to show; at least one." })
  genders!: Gender[];
}
