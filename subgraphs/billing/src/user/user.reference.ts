/** Resolves `User` references from other subgraphs: the id is all billing needs. */
export const userReferenceResolvers = {
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  },
};
