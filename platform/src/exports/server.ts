// `@pulse/platform/server`: what any server process needs, the gateway included: config, logging,
// contract errors, HTTP, auth, metrics, Redis and the subscription wire protocol. Nothing here
// loads Prisma or pg (the gateway imports only this entry; a test and a lint rule keep it so).
export * from "../config/load-config.ts";
export * from "../logging/logger.ts";
export * from "../errors/errors.ts";
export * from "../errors/format-error.ts";
export * from "../errors/unavailable.ts";
export * from "../auth/forwarded-identity.ts";
export * from "../auth/viewer.ts";
export * from "../auth/session-revocations.ts";
export * from "../data/redis.ts";
export * from "../data/redis-channels.ts";
export * from "../data/memo.ts";
export * from "../data/replicated-cache.ts";
export * from "../data/rate-limit.ts";
export * from "../http/apollo-handler.ts";
export * from "../http/service-server.ts";
export * from "../metrics/metrics.ts";
export * from "../subscriptions/event-queue.ts";
export * from "../subscriptions/keep-alive.ts";
export * from "../subscriptions/graphql-ws-server.ts";
export * from "../subscriptions/upstream-protocol.ts";
export * from "../subscriptions/websocket-upgrade.ts";
export * from "../process/run-until-signal.ts";
export * from "../telemetry/tracing.ts";
