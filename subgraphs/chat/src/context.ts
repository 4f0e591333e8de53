import type { ForwardedIdentity } from "@pulse/platform/server";
import {
  clearMadeLoaders,
  defineLoaders,
  type PrismaClient,
  type SubgraphContext,
} from "@pulse/platform/subgraph";
import { conversationLoaders } from "./conversation/conversation.loader.ts";
import type { ConversationService } from "./conversation/conversation.service.ts";
import type { MessageFeed } from "./message/message-feed.service.ts";
import { messageLoaders } from "./message/message.loader.ts";
import type { MessageService } from "./message/message.service.ts";
import type { ChatRateLimits } from "./rate-limits.ts";

/** Chat's long-lived services, shared by every request. */
export interface ChatServices {
  prisma: PrismaClient;
  conversations: ConversationService;
  messages: MessageService;
  /** `messageAdded`, over the live pub/sub. */
  feed: MessageFeed;
}

/** Makes a context's loaders, each on first use. */
const chatLoaders = defineLoaders({ ...conversationLoaders, ...messageLoaders });

/** Chat's loaders by name. */
export type ChatLoaders = ReturnType<typeof chatLoaders>;

/** Chat's per-request (or per-subscription) context: who is calling, loaders, and the services. */
export interface ChatContext extends SubgraphContext, Omit<ChatServices, "prisma"> {
  loaders: ChatLoaders;
  /** Attempts per sender and per conversation (`limits.consume(name, key)`). */
  limits: ChatRateLimits;
}

/** The context of one request from the gateway-signed identity. */
export function createChatContext(
  identity: ForwardedIdentity,
  services: ChatServices,
  limits: ChatRateLimits,
): ChatContext {
  const { prisma, ...rest } = services;
  return {
    ...identity,
    ...rest,
    limits,
    // Made on first use: a subscription's context lives as long as the subscription.
    loaders: chatLoaders({ prisma, viewerId: identity.viewer?.id }),
  };
}

/**
 * Forgets what a context's loaders cached. A subscription's context lives as long as the
 * subscription, so each event starts afresh (unread counts, read markers move meanwhile).
 */
export function clearLoaders(ctx: ChatContext): void {
  clearMadeLoaders(ctx.loaders);
}
