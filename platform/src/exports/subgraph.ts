// `@pulse/platform/subgraph`: what only subgraphs need: Prisma, domain events, the federation
// glue, input validation, pagination, pub/sub, loaders and the `Subgraph` service class.
// type-graphql reads decorator metadata through this polyfill; load it before any decorator runs.
import "reflect-metadata";
export * from "../graphql/scalars.ts";
export * from "../graphql/federation.ts";
export * from "../graphql/pagination.ts";
export * from "../graphql/cache-hints.ts";
export * from "../graphql/per-viewer.ts";
export * from "../graphql/parse-input.ts";
export * from "../data/prisma.ts";
export * from "../data/loaders.ts";
export * from "../data/ids.ts";
export * from "../events/catalog.ts";
export * from "../events/outbox.ts";
export * from "../events/relay.ts";
export * from "../events/consumer.ts";
export * from "../pubsub/live-pubsub.ts";
export * from "../pubsub/replay-numbered.ts";
export * from "../subscriptions/stream-resume.ts";
export * from "../subgraph/infrastructure.ts";
export * from "../subgraph/subgraph-config.ts";
export * from "../subgraph/subgraph.ts";
