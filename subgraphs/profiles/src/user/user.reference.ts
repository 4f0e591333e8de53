import { sameForEveryone } from "@pulse/platform/subgraph";
import type { GraphQLResolveInfo } from "graphql";
import { CARD_PUBLIC_SECONDS } from "../profile/profile-cards.service.ts";

/**
 * Resolves `User` references from other subgraphs. Only the id is needed: `profile` and
 * `preferences` load (batched) when asked for. Resolving the reference is the same for everyone;
 * the fields asked for decide whether the whole answer is.
 */
export const userReferenceResolvers = {
  User: {
    __resolveReference: (
      reference: { id: string },
      _context: unknown,
      info: GraphQLResolveInfo,
    ) => {
      sameForEveryone(info, CARD_PUBLIC_SECONDS);
      return { id: reference.id };
    },
  },
};
