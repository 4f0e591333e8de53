import type { ChatContext } from "../context.ts";
import { isReadableBy } from "../conversation/conversation.rules.ts";

/** Resolves `Message` references, batched per request; null unless the viewer may read it. */
export const messageReferenceResolvers = {
  Message: {
    __resolveReference: async (reference: { id: string }, ctx: ChatContext) => {
      const message = await ctx.loaders.message.load(reference.id);
      const conversation = message && (await ctx.loaders.conversation.load(message.conversationId));
      return conversation && isReadableBy(conversation, ctx.viewer?.id) ? message : null;
    },
  },
};
