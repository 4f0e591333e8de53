import { RateLimits, type Logger } from "@pulse/platform/server";
import {
  closeInfrastructure,
  connectInfrastructure,
  LivePubSub,
  Subgraph,
  type PrismaClient,
  type ServiceOptions,
  type SubgraphService,
} from "@pulse/platform/subgraph";
import type { ChatConfig } from "./config.ts";
import { createChatContext, type ChatContext, type ChatServices } from "./context.ts";
import { ConversationService } from "./conversation/conversation.service.ts";
import { chatEventHandlers } from "./events/handlers.ts";
import { MessageFeed } from "./message/message-feed.service.ts";
import { MessageService } from "./message/message.service.ts";
import { CHAT_RATE_LIMITS } from "./rate-limits.ts";
import { buildChatSchema } from "./schema.ts";

export interface ChatService extends SubgraphService {
  subgraph: Subgraph<ChatContext>;
}

/** Chat's services over the primary, the pool of lag-tolerant reads and one live pub/sub. */
export function createChatServices(
  deps: Pick<ChatServices, "prisma"> & { reads: PrismaClient; live: LivePubSub; logger: Logger },
): ChatServices {
  const { prisma, reads, live, logger } = deps;
  const conversations = new ConversationService(prisma, reads);
  return {
    prisma,
    conversations,
    messages: new MessageService({ prisma, conversations, live, logger }),
    feed: new MessageFeed({ prisma, conversations, live }),
  };
}

/**
 * Wires the chat subgraph: connections, services, event handlers and server. Nothing listens
 * until `subgraph.listen`.
 */
export async function createChatService(
  config: ChatConfig,
  options: ServiceOptions = {},
): Promise<ChatService> {
  const infra = connectInfrastructure("chat", config, options);
  const { prisma, reads, redisPrefix, logger } = infra;
  const live = new LivePubSub(config.REDIS_URL, redisPrefix, logger);
  const services = createChatServices({ prisma, reads, live, logger });
  const limits = new RateLimits(infra.redis, redisPrefix, CHAT_RATE_LIMITS, config.RATE_LIMITS);

  const subgraph = new Subgraph<ChatContext>({
    infra,
    schema: await buildChatSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    context: (identity) => createChatContext(identity, services, limits),
    eventHandlers: chatEventHandlers,
  });
  return {
    subgraph,
    async close() {
      await subgraph.close();
      await live.close();
      await closeInfrastructure(infra);
    },
  };
}
