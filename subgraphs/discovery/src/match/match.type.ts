import { DateTimeScalar, PageInfo } from "@pulse/platform/subgraph";
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { User, type UserRef } from "../user/user.type.ts";

/** The `Match` entity; chat adds its conversation. */
@Directive('@key(fields: "id")')
@ObjectType("Match", {
  description:
    "Two people who liked each other, as seen by one of them. Ends on unmatch, block or account deletion.",
})
export class Match {
  @Field(() => ID, { description: "Stable unique id of the match." })
  id!: string;

  @Field(() => DateTimeScalar, { description: "When the second like made it a match." })
  matchedAt!: Date;

  @Field(() => User, { description: "The other person of the match, as seen by the viewer." })
  user!: UserRef;
}

@ObjectType("MatchEdge", { description: "A match in a page of matches." })
export class MatchEdge {
  @Field(() => String, { description: "Opaque cursor of this match; pass it as `after`." })
  cursor!: string;

  @Field(() => Match, { description: "The match." })
  node!: Match;
}

@ObjectType("MatchConnection", { description: "A page of the viewer's matches, newest first." })
export class MatchConnection {
  @Field(() => [MatchEdge], { description: "The matches of this page." })
  edges!: MatchEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}
