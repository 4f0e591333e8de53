import { PageInfo } from "@pulse/platform/subgraph";
import { Field, Int, ObjectType } from "type-graphql";
import { User } from "../user/user.type.ts";

@ObjectType("RatingEntry", { description: "A person on the rating ladder." })
export class RatingEntry {
  @Field(() => Int, {
    description: "1 + the number of people rated strictly higher (ties share a rank).",
  })
  rank!: number;

  @Field(() => Int, { description: "Their rating, 100..5000 (1000 to start with)." })
  rating!: number;

  @Field(() => User, { description: "The person." })
  user!: User;
}

@ObjectType("RatingEdge", { description: "An entry in a page of the rating ladder." })
export class RatingEdge {
  @Field(() => String, { description: "Opaque cursor of this entry." })
  cursor!: string;

  @Field(() => RatingEntry, { description: "The entry." })
  node!: RatingEntry;
}

@ObjectType("RatingConnection", {
  description: "A page of the rating ladder: highest rating first.",
})
export class RatingConnection {
  @Field(() => [RatingEdge], { description: "The entries of this page, in order." })
  edges!: RatingEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}
