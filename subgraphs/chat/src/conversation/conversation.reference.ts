import type { ChatContext } from "../context.ts";
import { isReadableBy } from "./conversation.rules.ts";

/** Resolves `Conversation` references, batched per request; null unless the viewer may read it. */
export const conversationReferenceResolvers = {
  Conversation: {
    __resolveReference: async (reference: { id: string }, ctx: ChatContext) => {
      const conversation = await ctx.loaders.conversation.load(reference.id);
      return conversation && isReadableBy(conversation, ctx.viewer?.id) ? conversation : null;
    },
  },
};
