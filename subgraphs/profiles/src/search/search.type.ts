import { PageInfo } from "@pulse/platform/subgraph";
import { Field, ObjectType } from "type-graphql";
import { User } from "../user/user.type.ts";

@ObjectType("UserSearchEdge", { description: "A person in a page of username search results." })
export class UserSearchEdge {
  @Field(() => String, { description: "Opaque cursor of this person; pass it as `after`." })
  cursor!: string;

  @Field(() => User, { description: "The person." })
  node!: { id: string };
}

@ObjectType("UserSearchConnection", {
  description: "A page of people whose username starts with the query, ordered by username.",
})
export class UserSearchConnection {
  @Field(() => [UserSearchEdge], { description: "The people of this page." })
  edges!: UserSearchEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}
