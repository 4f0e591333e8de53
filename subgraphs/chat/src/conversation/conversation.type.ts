import { DateTimeScalar, PageInfo } from "@pulse/platform/subgraph";
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The `Conversation` entity; everything but `id` and `closedAt` is a field resolver. */
@Directive('@key(fields: "id")')
@ObjectType("Conversation", {
  description:
    "The conversation of a match, between its two people. Unmatch or a block closes it and removes it for both; when one person deletes their account the other keeps it, read-only.",
})
export class Conversation {
  @Field(() => ID, { description: "Stable unique id of the conversation." })
  id!: string;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "When it closed (the other person deleted their account); null while open. Nobody can write to a closed conversation.",
  })
  closedAt!: Date | null;
}

@ObjectType("ConversationEdge", { description: "A conversation in a page of conversations." })
export class ConversationEdge {
  @Field(() => String, { description: "Opaque cursor of this conversation; pass it as `after`." })
  cursor!: string;

  @Field(() => Conversation, { description: "The conversation." })
  node!: Conversation;
}

@ObjectType("ConversationConnection", {
  description: "A page of the viewer's conversations, most recently active first.",
})
export class ConversationConnection {
  @Field(() => [ConversationEdge], { description: "The conversations of this page." })
  edges!: ConversationEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}
