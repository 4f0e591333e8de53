import { env, loadConfig } from "@pulse/platform";
import { z } from "zod";

export const discoveryConfigSchema = z.object({
  NODE_ENV: env.nodeEnv,
  LOG_LEVEL: env.logLevel,
  HOST: z.string().default("0.0.0.0"),
  PORT: env.port(4003),
  DATABASE_URL: env.postgresUrl,
  REDIS_URL: env.redisUrl,
  REDIS_PREFIX: env.redisPrefix,
  GATEWAY_SECRET: env.gatewaySecret,
});

export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;

export const loadDiscoveryConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(discoveryConfigSchema, source);
