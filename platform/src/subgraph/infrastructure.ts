import { createPrismaClient, type PrismaClient, type StatementCounter } from "../data/prisma.ts";
import { createRedis, type RedisConnection } from "../data/redis.ts";
import { Outbox } from "../events/outbox.ts";
import type { DestinationStream } from "pino";
import { createLogger, type Logger } from "../logging/logger.ts";
import { createMetrics, type Metrics } from "../metrics/metrics.ts";
import type { SubgraphConfig } from "./subgraph-config.ts";

/** The connections and instruments a subgraph process holds for its whole life. */
export interface Infrastructure {
  /** The subgraph's name, which is also its Postgres schema and consumer group. */
  name: string;
  logger: Logger;
  metrics: Metrics;
  /** The primary: every write, and every read that must see the writes before it. */
  prisma: PrismaClient;
  /**
   * Reads that tolerate replication lag (ADR 0025): a read-only pool on the replica at
   * `DATABASE_READ_URL`, or, without one, `prisma` itself.
   */
  reads: PrismaClient;
  redis: RedisConnection;
  redisPrefix: string;
  databaseUrl: string;
  /** Where /metrics is served apart from the public port, if anywhere (`METRICS_PORT`). */
  metricsPort?: number;
  /** Where this subgraph records the domain events it publishes. */
  outbox: Outbox;
}

/** What tests and tools may hand a subgraph's service factory besides its configuration. */
export interface ServiceOptions {
  /** Incremented for every SQL statement the subgraph sends. */
  statementCounter?: StatementCounter;
  /** Where log lines go; stdout by default. */
  logDestination?: DestinationStream;
}

/** Opens the database pool and the Redis connection of subgraph `name`. */
export function connectInfrastructure(
  name: string,
  config: SubgraphConfig,
  options: ServiceOptions = {},
): Infrastructure {
  const logger = createLogger(name, config.LOG_LEVEL, options.logDestination);
  // The replica's statements count too: an N+1 is one wherever it runs.
  const counted = options.statementCounter ? { statementCounter: options.statementCounter } : {};
  const prisma = createPrismaClient(config.DATABASE_URL, counted);
  return {
    name,
    logger,
    metrics: createMetrics(name),
    prisma,
    reads: config.DATABASE_READ_URL
      ? createPrismaClient(config.DATABASE_READ_URL, { ...counted, readOnly: true })
      : prisma,
    redis: createRedis(config.REDIS_URL, name, logger),
    redisPrefix: config.REDIS_PREFIX,
    databaseUrl: config.DATABASE_URL,
    ...(config.METRICS_PORT === undefined ? {} : { metricsPort: config.METRICS_PORT }),
    outbox: new Outbox(name),
  };
}

export async function closeInfrastructure(infra: Infrastructure): Promise<void> {
  await infra.prisma.$disconnect();
  if (infra.reads !== infra.prisma) await infra.reads.$disconnect();
  infra.redis.disconnect();
}

/** A subgraph's process-level service: its server, ready to listen, and how to close it all. */
export interface SubgraphService {
  subgraph: { listen(port: number, host?: string): Promise<string> };
  close(): Promise<void>;
}
