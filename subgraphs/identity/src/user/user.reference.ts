import type { IdentityContext } from "../context.ts";

/** Resolves `User` references from other subgraphs, batched per request. */
export const userReferenceResolvers = {
  User: {
    __resolveReference: (reference: { id: string }, ctx: IdentityContext) =>
      ctx.loaders.account.load(reference.id),
  },
};
