import { DateTimeScalar, PageInfo } from "@pulse/platform/subgraph";
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

@ObjectType("LikeReceivedEdge", { description: "A like in a page of likes received." })
export class LikeReceivedEdge {
  @Field(() => String, { description: "Opaque cursor of this like; pass it as `after`." })
  cursor!: string;

  @Field(() => LikeReceived, { description: "The like." })
  node!: LikeReceived;
}

@ObjectType("LikeReceivedConnection", {
  description: "A page of the people who liked the viewer and await an answer, newest first.",
})
export class LikeReceivedConnection {
  @Field(() => [LikeReceivedEdge], { description: "The likes of this page." })
  edges!: LikeReceivedEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}
