import { randomBytes, randomUUID } from "node:crypto";
import {
  createLogger,
  createRedis,
  deleteKeysWithPrefix,
  type Logger,
  type RedisConnection,
} from "@pulse/platform/server";
import {
  createPrismaClient,
  LivePubSub,
  type DomainEvent,
  type DomainEventPayload,
  type DomainEventType,
  type EventHandlers,
  type PrismaClient,
  type StatementCounter,
} from "@pulse/platform/subgraph";
import { inject } from "vitest";

/**
 * What a subgraph's integration harness runs on: this run's database, a Redis prefix of its own
 * and live pub/sub under it, with event delivery as the consumer does it and one teardown.
 */
export interface HarnessInfrastructure {
  prisma: PrismaClient;
  /** Where lag-tolerant reads go: the harness has no replica, so `prisma`. */
  reads: PrismaClient;
  redis: RedisConnection;
  redisPrefix: string;
  logger: Logger;
  live: LivePubSub;
  /** Handles an event with `handlers` the way the consumer does, in one transaction. */
  deliver<Type extends DomainEventType>(
    handlers: EventHandlers,
    type: Type,
    payload: DomainEventPayload<Type>,
  ): Promise<void>;
  close(): Promise<void>;
}

export function connectHarness(
  subgraph: string,
  options: { statementCounter?: StatementCounter } = {},
): HarnessInfrastructure {
  const prisma = createPrismaClient(inject("databaseUrl"), { maxConnections: 8, ...options });
  const redisPrefix = `${inject("redisPrefix")}${subgraph}-${randomBytes(4).toString("hex")}:`;
  const logger = createLogger(subgraph, "silent");
  const redis = createRedis(inject("redisUrl"), `${subgraph}-harness`, logger);
  const live = new LivePubSub(inject("redisUrl"), redisPrefix, logger);
  return {
    prisma,
    reads: prisma,
    redis,
    redisPrefix,
    logger,
    live,
    async deliver(handlers, type, payload) {
      const event = { id: randomUUID(), type, source: "test", occurredAt: "", payload };
      const handler = handlers[type] as (event: DomainEvent, tx: unknown) => Promise<unknown>;
      await prisma.$transaction((tx) => handler(event, tx));
    },
    async close() {
      await live.close();
      await deleteKeysWithPrefix(redis, redisPrefix);
      redis.disconnect();
      await prisma.$disconnect();
    },
  };
}
