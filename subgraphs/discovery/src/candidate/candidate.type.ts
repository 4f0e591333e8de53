import { Field, Float, ObjectType } from "type-graphql";
import { User, type UserRef } from "../user/user.type.ts";

@ObjectType("DiscoverCandidate", {
  description: "A person the viewer may like, with how far away they are and how well they rank.",
})
export class DiscoverCandidate {
  @Field(() => User, { description: "The person." })
  user!: UserRef;

  @Field(() => Float, { description: "Distance between the viewer and the person, in km." })
  distanceKm!: number;

  @Field(() => Float, {
    description:
      "Ranking score (higher first): closeness, recent activity and profile completeness, with a small daily jitter.",
  })
  score!: number;
}
