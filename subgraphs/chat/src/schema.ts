import { buildFederatedSchema } from "@pulse/platform";
import type { GraphQLSchema } from "graphql";
import type { BuildSchemaOptions } from "type-graphql";
import { conversationReferenceResolvers } from "./conversation/conversation.reference.ts";
import { ConversationResolver } from "./conversation/conversation.resolver.ts";
import { matchReferenceResolvers } from "./match/match.reference.ts";
import { MatchConversationResolver } from "./match/match.resolver.ts";
import { messageReferenceResolvers } from "./message/message.reference.ts";
import { MessageResolver } from "./message/message.resolver.ts";

/**
 * type-graphql requires a pubSub as soon as a subscription exists, even when it brings its own
 * `subscribe`. `messageAdded` subscribes through the context's services; this one is never used.
 */
const subscribeThroughContext: NonNullable<BuildSchemaOptions["pubSub"]> = {
  publish: () => {
    throw new Error("Publish live notifications through LivePubSub");
  },
  subscribe: () => {
    throw new Error("Subscriptions subscribe through the context's services");
  },
};

/** Chat's subgraph schema. Building it has no side effects (no connections). */
export function buildChatSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [ConversationResolver, MessageResolver, MatchConversationResolver],
    referenceResolvers: {
      ...conversationReferenceResolvers,
      ...messageReferenceResolvers,
      ...matchReferenceResolvers,
    },
    pubSub: subscribeThroughContext,
  });
}
