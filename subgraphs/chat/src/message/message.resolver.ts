import type { Conversation as ConversationRow, Message as MessageRow } from "@pulse/db";
import { requireViewer } from "@pulse/platform/server";
import { DateTimeScalar } from "@pulse/platform/subgraph";
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from "type-graphql";
import { clearLoaders, type ChatContext } from "../context.ts";
import { Conversation } from "../conversation/conversation.type.ts";
import { User, type UserRef } from "../user/user.type.ts";
import { knownFacts, markJustSent, markKnown } from "./known-message.rules.ts";
import { conversationOf, fromLive, readAtOf, type LiveMessage } from "./message-added.topic.ts";
import { messageCursor } from "./message.cursor.ts";
import { SendMessageInput } from "./message.input.ts";
import { Message } from "./message.type.ts";

interface MessageAddedArgs {
  conversationId?: string | null;
  after?: string | null;
}

@Resolver(() => Message)
export class MessageResolver {
  @Mutation(() => Message, {
    description:
      "Sends a message to one of the viewer's open conversations. Sending the same `clientMessageId` again returns the first message instead of storing another.",
  })
  async sendMessage(
    @Arg("input", () => SendMessageInput, { description: "The message." })
    input: SendMessageInput,
    @Ctx() ctx: ChatContext,
  ): Promise<MessageRow> {
    const viewer = requireViewer(ctx);
    await ctx.limits.consume("send-message:person", viewer.id);
    await ctx.limits.consume("send-message:conversation", input.conversationId);
    const { message, storedIn } = await ctx.messages.send(viewer, input);
    return storedIn ? markJustSent(message, storedIn) : message;
  }

  @Subscription(() => Message, {
    description:
      "Every new message of the viewer's conversations (or of one), for its two people alone. With `after`, first replays the messages after that cursor, so a reconnecting client loses nothing and gets nothing twice.",
    subscribe: ({ args, context }) => {
      const ctx = context as ChatContext;
      const { conversationId, after } = args as MessageAddedArgs;
      // The gateway re-subscribing after a dropped socket resumes after the last message it got;
      // a new subscription starts from when its subscribe reached the gateway.
      return ctx.feed.subscribe(
        requireViewer(ctx),
        conversationId,
        ctx.resume?.after ?? after,
        ctx.resume?.since,
      );
    },
  })
  messageAdded(
    @Root() payload: LiveMessage,
    @Arg("conversationId", () => ID, {
      nullable: true,
      description: "Only this conversation's messages; all of the viewer's when absent.",
    })
    _conversationId: string | null | undefined,
    @Arg("after", () => String, {
      nullable: true,
      description:
        "A message's `cursor` (or a messages page's cursor): replay the messages after it first.",
    })
    _after: string | null | undefined,
    @Ctx() ctx: ChatContext,
  ): MessageRow {
    clearLoaders(ctx);
    const message = fromLive(payload);
    ctx.resume?.reached(messageCursor(message));
    const conversation = conversationOf(payload);
    return conversation ? markKnown(message, { conversation, readAt: readAtOf(payload) }) : message;
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description:
      "When the other person first read up to this message (`markConversationRead`); null until then.",
  })
  async readAt(@Root() message: MessageRow, @Ctx() ctx: ChatContext): Promise<Date | null> {
    const known = knownFacts(message);
    if (known) return known.readAt;
    return (await ctx.loaders.readAt.load(message.id))?.readAt ?? null;
  }

  @FieldResolver(() => User, {
    description:
      "Who sent it. A person who deleted their account is still referenced by id, with a null profile.",
  })
  sender(@Root() message: MessageRow): UserRef {
    return { id: message.senderId };
  }

  @FieldResolver(() => Conversation, { description: "The conversation it belongs to." })
  async conversation(
    @Root() message: MessageRow,
    @Ctx() ctx: ChatContext,
  ): Promise<ConversationRow> {
    const conversation =
      knownFacts(message)?.conversation ??
      (await ctx.loaders.conversation.load(message.conversationId));
    if (!conversation) throw new Error(`message ${message.id} without its conversation`);
    return conversation;
  }

  @FieldResolver(() => String, {
    description:
      "Opaque cursor of this message: pass it as `messages(after:)` or `messageAdded(after:)`.",
  })
  cursor(@Root() message: MessageRow): string {
    return messageCursor(message);
  }
}
