import { buildFederatedSchema } from "@pulse/platform/subgraph";
import type { GraphQLSchema } from "graphql";
import { conversationReferenceResolvers } from "./conversation/conversation.reference.ts";
import { ConversationResolver } from "./conversation/conversation.resolver.ts";
import { matchReferenceResolvers } from "./match/match.reference.ts";
import { MatchConversationResolver } from "./match/match.resolver.ts";
import { messageReferenceResolvers } from "./message/message.reference.ts";
import { MessageResolver } from "./message/message.resolver.ts";

/** Chat's subgraph schema. Building it has no side effects (no connections). */
export function buildChatSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [ConversationResolver, MessageResolver, MatchConversationResolver],
    referenceResolvers: {
      ...conversationReferenceResolvers,
      ...messageReferenceResolvers,
      ...matchReferenceResolvers,
    },
  });
}
