import { DateTimeScalar, PageInfo } from "@pulse/platform/subgraph";
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The `Message` entity; `readAt`, `sender`, `conversation` and `cursor` are field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType("Message", { description: "A message in a conversation between two matched people." })
export class Message {
  @Field(() => ID, { description: "Stable unique id of the message." })
  id!: string;

  @Field(() => ID, {
    description:
      "The sender's idempotency key from `SendMessageInput`: sending it again returns this message.",
  })
  clientMessageId!: string;

  @Field(() => String, { description: "The text, trimmed, 1 to 2000 characters." })
  body!: string;

  @Field(() => DateTimeScalar, { description: "When the message was stored." })
  sentAt!: Date;
}

@ObjectType("MessageEdge", { description: "A message in a page of messages." })
export class MessageEdge {
  @Field(() => String, { description: "Opaque cursor of this message; pass it as `after`." })
  cursor!: string;

  @Field(() => Message, { description: "The message." })
  node!: Message;
}

@ObjectType("MessageConnection", {
  description: "A page of a conversation's messages, newest first.",
})
export class MessageConnection {
  @Field(() => [MessageEdge], { description: "The messages of this page." })
  edges!: MessageEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}
