import path from "node:path";
import { env, KEEP_ALIVE_MS, loadConfig } from "@pulse/platform/server";
import { z } from "zod";
import type { AllowedOrigins } from "./cors.ts";

const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;
/** Prometheus exporters' customary port. */
const PRODUCTION_METRICS_PORT = 9464;

export const gatewayConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv,
    LOG_LEVEL: env.logLevel,
    HOST: z.string().default("0.0.0.0"),
    PORT: env.port(4000),
    GATEWAY_SECRET: env.gatewaySecret,
    /** Where identity records signed-out sessions (and, later, subscription traffic). */
    REDIS_URL: env.redisUrl,
    REDIS_PREFIX: env.redisPrefix,
    /** The composed supergraph the gateway plans with. */
    SUPERGRAPH_PATH: z
      .string()
      .default(path.resolve(import.meta.dirname, "../../schema/supergraph.graphql")),
    /** Reload the supergraph when its file changes; on by default in development. */
    SUPERGRAPH_WATCH: z.stringbool().optional(),
    /** Identity's JSON Web Key Set, which access tokens are verified against. */
    JWKS_URL: env.url.default("http://localhost:4001/.well-known/jwks.json"),
    JWT_ISSUER: z.string().default("pulse-identity"),
    JWT_AUDIENCE: z.string().default("pulse-api"),
    /** Take the client address from the first X-Forwarded-For hop (behind a trusted proxy). */
    TRUST_PROXY: z.stringbool().default(false),
    /** Subscriptions one graphql-ws socket may hold open at once. */
    SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().positive().default(25),
    /** graphql-ws sockets one person may hold open, counted across every gateway replica. */
    SOCKETS_PER_PERSON: z.coerce.number().int().positive().default(10),
    /**
     * Events one subscription may have waiting for a client that reads slowly; past that, the
     * client is disconnected (1013) so it resumes with `after` instead of the gateway buffering.
     */
    SUBSCRIPTION_PENDING_EVENTS: z.coerce.number().int().positive().default(100),
    /**
     * Public subgraph answers (`Cache-Control: public`) kept for the subscribers of events to
     * share, each for its max-age.
     */
    SUBSCRIPTION_SHARED_ANSWERS: z.coerce.number().int().positive().default(10_000),
    /**
     * How often each graphql-ws socket is pinged (graphql-ws's default); a client that has not
     * answered the previous ping by then is cut, so dead connections do not hold subscriptions.
     */
    SUBSCRIPTION_KEEPALIVE_MS: z.coerce.number().int().positive().default(KEEP_ALIVE_MS),
    /**
     * Browser origins allowed to call `/graphql` (CORS), comma-separated, each exactly as a
     * browser sends it (`https://app.example.com`). Unset: any loopback origin in development
     * and tests, none in production.
     */
    CORS_ORIGINS: z
      .string()
      .transform((value) =>
        value
          .split(",")
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.string().refine(isOrigin, "each must be an origin, like https://app.example.com"),
        ),
      )
      .optional(),
    /** Let @apollo/gateway send its usage telemetry to Apollo (it probes cloud metadata hosts). */
    APOLLO_TELEMETRY: z.stringbool().default(false),
    /** What to do with documents outside the trusted documents: off, log, enforce. */
    TRUSTED_DOCUMENTS: z.enum(["off", "log", "enforce"]).optional(),
    /** The persisted-documents manifest of @pulse/client (`pnpm codegen` writes it). */
    TRUSTED_DOCUMENTS_PATH: z
      .string()
      .default(
        path.resolve(import.meta.dirname, "../../client/src/generated/persisted-documents.json"),
      ),
    /**
     * Where `/metrics` is served, apart from the public port. Unset: on the public port in
     * development, on 9464 in production (never on the public port there).
     */
    METRICS_PORT: env.metricsPort,
  })
  .loose()
  .transform((config) => ({
    ...config,
    SUPERGRAPH_WATCH: config.SUPERGRAPH_WATCH ?? config.NODE_ENV === "development",
    TRUSTED_DOCUMENTS:
      config.TRUSTED_DOCUMENTS ?? (config.NODE_ENV === "production" ? "log" : "off"),
    CORS_ORIGINS: config.CORS_ORIGINS ?? defaultCorsOrigins(config.NODE_ENV),
    METRICS_PORT:
      config.METRICS_PORT ??
      (config.NODE_ENV === "production" ? PRODUCTION_METRICS_PORT : undefined),
    /** `SUBGRAPH_<NAME>_URL` overrides the URL the supergraph records for subgraph `<name>`. */
    subgraphUrls: subgraphUrlOverrides(config as Record<string, unknown>),
  }));

/** Any loopback origin in development and tests (apps on any local port), none in production. */
function defaultCorsOrigins(nodeEnv: string): AllowedOrigins {
  return nodeEnv === "production" ? [] : "loopback";
}

/** Whether `value` is exactly an origin: scheme, host and optional port, nothing more. */
function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

function subgraphUrlOverrides(variables: Record<string, unknown>): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    const match = SUBGRAPH_URL_VARIABLE.exec(name);
    if (match?.[1] && typeof value === "string") urls[match[1].toLowerCase()] = value;
  }
  return urls;
}

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(gatewayConfigSchema, source);
