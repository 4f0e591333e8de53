import type { CompetitionsContext } from "../context.ts";

/** Resolves `Competition` references, batched per request. */
export const competitionReferenceResolvers = {
  Competition: {
    __resolveReference: (reference: { id: string }, ctx: CompetitionsContext) =>
      ctx.loaders.competition.load(reference.id),
  },
};
