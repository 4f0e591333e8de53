import type { Conversation as ConversationRow } from "@pulse/db";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { ChatContext } from "../context.ts";
import { isReadableBy } from "../conversation/conversation.rules.ts";
import { Conversation } from "../conversation/conversation.type.ts";
import { Match, type MatchRef } from "./match.type.ts";

@Resolver(() => Match)
export class MatchConversationResolver {
  @FieldResolver(() => Conversation, {
    nullable: true,
    description:
      "The match's conversation: null until chat has opened it, or when the viewer may not read it.",
  })
  async conversation(
    @Root() match: MatchRef,
    @Ctx() ctx: ChatContext,
  ): Promise<ConversationRow | null> {
    const conversation = await ctx.loaders.conversationByMatch.load(match.id);
    return conversation && isReadableBy(conversation, ctx.viewer?.id) ? conversation : null;
  }
}
