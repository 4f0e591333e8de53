import type { DiscoveryContext } from "../context.ts";
import { visibleMatch } from "./match.view.ts";

/** Resolves `Match` references from other subgraphs (chat), batched per request. */
export const matchReferenceResolvers = {
  Match: {
    __resolveReference: async (reference: { id: string }, ctx: DiscoveryContext) =>
      visibleMatch(await ctx.loaders.match.load(reference.id), ctx.viewer?.id),
  },
};
