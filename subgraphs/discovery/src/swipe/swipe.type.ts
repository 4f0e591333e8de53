import { DateTimeScalar } from "@pulse/platform/subgraph";
import { Field, ObjectType } from "type-graphql";
import { Match } from "../match/match.type.ts";
import { User, type UserRef } from "../user/user.type.ts";

@ObjectType("SwipeResult", { description: "What a swipe led to." })
export class SwipeResult {
  @Field(() => Boolean, { description: "Whether the two people are now matched." })
  isMatch!: boolean;

  @Field(() => Match, { nullable: true, description: "Their match, when `isMatch`." })
  match!: Match | null;
}

@ObjectType("LikeReceived", { description: "Someone who liked the viewer." })
export class LikeReceived {
  @Field(() => DateTimeScalar, { description: "When they liked the viewer." })
  likedAt!: Date;

  @Field(() => Boolean, { description: "Whether it was a super like." })
  isSuperLike!: boolean;

  @Field(() => User, { description: "The person who liked the viewer." })
  user!: UserRef;
}
