import { z } from "zod";
import { env } from "../config/load-config.ts";
import { rateLimitOverrides } from "../data/rate-limit.ts";

/** The variables every subgraph reads (the README's "Shared by every subgraph" table of variables). */
function sharedVariables(defaultPort: number) {
  return {
    NODE_ENV: env.nodeEnv,
    LOG_LEVEL: env.logLevel,
    HOST: z.string().default("0.0.0.0"),
    PORT: env.port(defaultPort),
    METRICS_PORT: env.metricsPort,
    DATABASE_URL: env.postgresUrl,
    /** A read replica for the reads that tolerate replication lag (ADR 0025); else the primary. */
    DATABASE_READ_URL: env.postgresUrl.optional(),
    REDIS_URL: env.redisUrl,
    REDIS_PREFIX: env.redisPrefix,
    GATEWAY_SECRET: env.gatewaySecret,
    /** Changes to the subgraph's rate limits (`name=points/seconds,…`); see docs/operations.md. */
    RATE_LIMITS: rateLimitOverrides,
  };
}

/**
 * A subgraph's configuration schema: the shared variables plus its own.
 *
 * @param defaultPort the port it listens on when `PORT` is not set.
 * @param own the subgraph's own variables.
 */
export function subgraphConfigSchema<Own extends z.ZodRawShape>(defaultPort: number, own: Own) {
  return z.object({ ...sharedVariables(defaultPort), ...own });
}

/** The shared part of every subgraph's configuration. */
export type SubgraphConfig = z.infer<z.ZodObject<ReturnType<typeof sharedVariables>>>;
