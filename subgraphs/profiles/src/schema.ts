import { buildFederatedSchema } from "@pulse/platform/subgraph";
import type { GraphQLSchema } from "graphql";
import { BlockResolver } from "./block/block.resolver.ts";
import { PhotoResolver } from "./photo/photo.resolver.ts";
import { ProfileResolver } from "./profile/profile.resolver.ts";
import { SearchResolver } from "./search/search.resolver.ts";
import { userReferenceResolvers } from "./user/user.reference.ts";
import { UserProfileResolver } from "./user/user.resolver.ts";

/** Profiles' subgraph schema. Building it has no side effects (no connections). */
export function buildProfilesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [UserProfileResolver, ProfileResolver, PhotoResolver, SearchResolver, BlockResolver],
    referenceResolvers: userReferenceResolvers,
  });
}
