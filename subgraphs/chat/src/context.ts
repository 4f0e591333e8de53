import type { ForwardedIdentity, PrismaClient, SubgraphContext } from "@pulse/platform";
import { createConversationLoaders } from "./conversation/conversation.loader.ts";
import type { ConversationService } from "./conversation/conversation.service.ts";
import type { MessageFeed } from "./message/message-feed.service.ts";
import { createMessageLoaders } from "./message/message.loader.ts";
import type { MessageService } from "./message/message.service.ts";

/** Chat's long-lived services, shared by every request. */
export interface ChatServices {
  prisma: PrismaClient;
  conversations: ConversationService;
  messages: MessageService;
  /** `messageAdded`, over the live pub/sub. */
  feed: MessageFeed;
}

/** Chat's per-request (or per-subscription) context: who is calling, loaders, and the services. */
export interface ChatContext extends SubgraphContext, Omit<ChatServices, "prisma"> {
  loaders: ReturnType<typeof createConversationLoaders> & ReturnType<typeof createMessageLoaders>;
}

/** The context of one request from the gateway-signed identity. */
export function createChatContext(
  identity: ForwardedIdentity,
  services: ChatServices,
): ChatContext {
  const { prisma, ...rest } = services;
  return {
    ...identity,
    ...rest,
    loaders: {
      ...createConversationLoaders(prisma, identity.viewer?.id),
      ...createMessageLoaders(prisma),
    },
  };
}

/**
 * Forgets what a context's loaders cached. A subscription's context lives as long as the
 * subscription, so each event starts afresh (unread counts, read markers move meanwhile).
 */
export function clearLoaders(ctx: ChatContext): void {
  for (const loader of Object.values(ctx.loaders)) loader.clearAll();
}
