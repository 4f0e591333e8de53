/**
 * Resolves `Match` references from discovery. Only the id is needed: `conversation` loads
 * (batched, for the viewer) when asked for.
 */
export const matchReferenceResolvers = {
  Match: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  },
};
