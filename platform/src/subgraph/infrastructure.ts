import { createPrismaClient, type PrismaClient, type StatementCounter } from "../data/prisma.ts";
import { createRedis, type Redis } from "../data/redis.ts";
import { Outbox } from "../events/outbox.ts";
import type { DestinationStream } from "pino";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createMetrics, type Metrics } from "../metrics/metrics.ts";

/** The connections and instruments a subgraph process holds for its whole life. */
export interface Infrastructure {
  /** The subgraph's name, which is also its Postgres schema and consumer group. */
  name: string;
  logger: Logger;
  metrics: Metrics;
  prisma: PrismaClient;
  redis: Redis;
  redisPrefix: string;
  databaseUrl: string;
  /** Where this subgraph records the domain events it publishes. */
  outbox: Outbox;
}

export interface InfrastructureOptions {
  name: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  logLevel: string;
  statementCounter?: StatementCounter;
  /** Where log lines go; stdout by default. */
  logDestination?: DestinationStream;
}

/** Opens the database pool and the Redis connection of a subgraph. */
export function connectInfrastructure(options: InfrastructureOptions): Infrastructure {
  return {
    name: options.name,
    logger: createLogger(options.name, options.logLevel, options.logDestination),
    metrics: createMetrics(options.name),
    prisma: createPrismaClient(options.databaseUrl, {
      ...(options.statementCounter ? { statementCounter: options.statementCounter } : {}),
    }),
    redis: createRedis(options.redisUrl, options.name),
    redisPrefix: options.redisPrefix,
    databaseUrl: options.databaseUrl,
    outbox: new Outbox(options.name),
  };
}

export async function closeInfrastructure(infra: Infrastructure): Promise<void> {
  await infra.prisma.$disconnect();
  infra.redis.disconnect();
}

/** What tests and tools may hand a subgraph's service factory besides its configuration. */
export type ServiceOptions = Pick<InfrastructureOptions, "statementCounter" | "logDestination">;

/** A subgraph's process-level service: its server, ready to listen, and how to close it all. */
export interface SubgraphService {
  subgraph: { listen(port: number, host?: string): Promise<string> };
  close(): Promise<void>;
}
