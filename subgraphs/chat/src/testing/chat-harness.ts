import { randomUUID } from "node:crypto";
import type { Conversation as ConversationRow } from "@pulse/db";
import { RateLimits, type Viewer } from "@pulse/platform/server";
import {
  StatementCounter,
  type DomainEventPayload,
  type DomainEventType,
} from "@pulse/platform/subgraph";
import { connectHarness, type HarnessInfrastructure } from "@pulse/testkit/subgraph-harness";
import { createChatContext, type ChatContext, type ChatServices } from "../context.ts";
import { chatEventHandlers } from "../events/handlers.ts";
import { CHAT_RATE_LIMITS, type ChatRateLimits } from "../rate-limits.ts";
import { createChatServices } from "../server.ts";

/**
 * Chat's services on this run's database and a Redis prefix of their own, for integration tests
 * that open conversations with events (as discovery would) and call the services.
 */
export interface ChatHarness
  extends ChatServices, Omit<HarnessInfrastructure, "deliver" | "logger"> {
  /** SQL statements the services sent (the harness's pool is theirs alone). */
  statements: StatementCounter;
  /** Chat's rate limits, at their defaults, under the harness's Redis prefix. */
  limits: ChatRateLimits;
  /** A request's context, as the subgraph builds it for `viewer`. */
  context(viewer: Viewer | null): ChatContext;
  /** Handles an event the way the consumer does, in one transaction. */
  deliver<Type extends DomainEventType>(
    type: Type,
    payload: DomainEventPayload<Type>,
  ): Promise<void>;
}

export function startChatHarness(): ChatHarness {
  const statements = new StatementCounter();
  const { deliver, ...infra } = connectHarness("chat", { statementCounter: statements });
  const services = createChatServices(infra);
  const limits = new RateLimits(infra.redis, infra.redisPrefix, CHAT_RATE_LIMITS);
  return {
    ...infra,
    ...services,
    statements,
    limits,
    context: (viewer) =>
      createChatContext(
        { viewer, clientIp: "127.0.0.1", requestId: randomUUID() },
        services,
        limits,
      ),
    deliver: (type, payload) => deliver(chatEventHandlers, type, payload),
  };
}

/** A new signed-in person. */
export function newViewer(): Viewer {
  return { id: randomUUID(), role: "USER", sessionId: randomUUID() };
}

export interface OpenedConversation {
  conversation: ConversationRow;
  matchId: string;
  /** Its two people, in no particular order. */
  a: Viewer;
  b: Viewer;
}

/** Two new people whose match opened a conversation (through `match.created`). */
export async function openConversation(
  harness: ChatHarness,
  matchedAt = new Date(),
): Promise<OpenedConversation> {
  const [a, b] = [newViewer(), newViewer()];
  const matchId = randomUUID();
  await harness.deliver("match.created", {
    matchId,
    userIds: [a.id, b.id],
    matchedAt: matchedAt.toISOString(),
  });
  const conversation = await harness.prisma.conversation.findUniqueOrThrow({ where: { matchId } });
  return { conversation, matchId, a, b };
}

/** Sends `body` from `sender` with a fresh clientMessageId; resolves to the stored message. */
export async function send(
  harness: ChatHarness,
  sender: Viewer,
  conversationId: string,
  body: string,
) {
  const sent = await harness.messages.send(sender, {
    conversationId,
    body,
    clientMessageId: randomUUID(),
  });
  return sent.message;
}

/** The node ids of a connection's page, in order. */
export function nodeIds(connection: { edges: { node: { id: string } }[] }): string[] {
  return connection.edges.map((edge) => edge.node.id);
}
