// The shared platform: everything a subgraph or the gateway needs besides its own domain.
// type-graphql reads decorator metadata through this polyfill; load it before any decorator runs.
import "reflect-metadata";
export * from "./config/load-config.ts";
export * from "./logging/logger.ts";
export * from "./errors/errors.ts";
export * from "./errors/format-error.ts";
export * from "./graphql/scalars.ts";
export * from "./graphql/federation.ts";
export * from "./graphql/pagination.ts";
export * from "./auth/forwarded-identity.ts";
export * from "./auth/viewer.ts";
export * from "./auth/session-revocations.ts";
export * from "./data/prisma.ts";
export * from "./data/redis.ts";
export * from "./data/loaders.ts";
export * from "./data/rate-limit.ts";
export * from "./events/catalog.ts";
export * from "./events/outbox.ts";
export * from "./events/relay.ts";
export * from "./events/consumer.ts";
export * from "./http/apollo-handler.ts";
export * from "./http/service-server.ts";
export * from "./metrics/metrics.ts";
export * from "./pubsub/live-pubsub.ts";
export * from "./subgraph/infrastructure.ts";
export * from "./subgraph/subgraph-config.ts";
export * from "./subgraph/subgraph.ts";
export * from "./subgraph/run-until-signal.ts";
