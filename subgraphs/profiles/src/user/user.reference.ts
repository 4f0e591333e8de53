/**
 * Resolves `User` references from other subgraphs. Only the id is needed: `profile` and
 * `preferences` load (batched) when asked for.
 */
export const userReferenceResolvers = {
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  },
};
