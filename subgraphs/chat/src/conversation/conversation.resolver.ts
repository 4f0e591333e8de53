import type { Conversation as ConversationRow, Message as MessageRow } from "@pulse/db";
import { requireViewer } from "@pulse/platform/server";
import { AfterCursorArg, PageSizeArg, type Connection } from "@pulse/platform/subgraph";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { ChatContext } from "../context.ts";
import { Match, type MatchRef } from "../match/match.type.ts";
import { Message, MessageConnection } from "../message/message.type.ts";
import { User, type UserRef } from "../user/user.type.ts";
import { Conversation, ConversationConnection } from "./conversation.type.ts";

@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => ConversationConnection, {
    description:
      "The viewer's conversations, most recently active first. Requires signing in. Conversations closed by unmatch or block are not listed.",
  })
  conversations(
    @PageSizeArg()
    first: number | null | undefined,
    @AfterCursorArg("Cursor of the last conversation of the previous page (`pageInfo.endCursor`).")
    after: string | null | undefined,
    @Ctx() ctx: ChatContext,
  ): Promise<Connection<ConversationRow>> {
    return ctx.conversations.list(requireViewer(ctx), first, after);
  }

  @Query(() => Conversation, {
    description:
      "One of the viewer's conversations. NOT_FOUND when unknown or closed by unmatch or block, FORBIDDEN for someone else's.",
  })
  conversation(
    @Arg("id", () => ID, { description: "The conversation." }) id: string,
    @Ctx() ctx: ChatContext,
  ): Promise<ConversationRow> {
    return ctx.conversations.get(requireViewer(ctx), id);
  }

  @Mutation(() => Conversation, {
    description:
      "Marks every message of one of the viewer's conversations read: its `unreadCount` becomes 0 and the other person sees `readAt` on their messages. Idempotent.",
  })
  markConversationRead(
    @Arg("conversationId", () => ID, { description: "The conversation read." })
    conversationId: string,
    @Ctx() ctx: ChatContext,
  ): Promise<ConversationRow> {
    return ctx.conversations.markRead(requireViewer(ctx), conversationId);
  }

  @FieldResolver(() => Match, {
    description:
      "The match this conversation belongs to. Discovery shows only current matches: once the other person deleted their account, ask for its `id` alone.",
  })
  match(@Root() conversation: ConversationRow): MatchRef {
    return { id: conversation.matchId };
  }

  @FieldResolver(() => [User], { description: "Its two people, the viewer included." })
  participants(@Root() conversation: ConversationRow): UserRef[] {
    return [{ id: conversation.userLow }, { id: conversation.userHigh }];
  }

  @FieldResolver(() => Int, {
    description: "How many messages from the other person the viewer has not marked read.",
  })
  async unreadCount(@Root() conversation: ConversationRow, @Ctx() ctx: ChatContext) {
    return (await ctx.loaders.participation.load(conversation.id))?.unreadCount ?? 0;
  }

  @FieldResolver(() => Message, {
    nullable: true,
    description: "The newest message, or null before the first.",
  })
  lastMessage(
    @Root() conversation: ConversationRow,
    @Ctx() ctx: ChatContext,
  ): Promise<MessageRow | null> {
    return ctx.loaders.lastMessage.load(conversation.id);
  }

  @FieldResolver(() => MessageConnection, {
    description: "The messages, newest first.",
  })
  messages(
    @Root() conversation: ConversationRow,
    @PageSizeArg()
    first: number | null | undefined,
    @AfterCursorArg(
      "Cursor of the last (oldest) message of the previous page, or any message's `cursor`.",
    )
    after: string | null | undefined,
    @Ctx() ctx: ChatContext,
  ): Promise<Connection<MessageRow>> {
    return ctx.messages.page(conversation, first, after);
  }
}
