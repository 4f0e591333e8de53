import { randomUUID } from "node:crypto";
import {
  domainEventSchemas,
  streamKey,
  type DomainEvent,
  type DomainEventPayload,
  type DomainEventType,
} from "@pulse/platform/subgraph";
import type { RedisConnection } from "@pulse/platform/server";

/**
 * Publishes a domain event on the stack's event bus exactly as a producer's relay does (one
 * entry on `streamKey(prefix, type)`), for events whose producer is not part of the test: a
 * competition created by competitions, say. Resolves to the event.
 */
export async function publishEvent<Type extends DomainEventType>(
  bus: { redis: RedisConnection; redisPrefix: string },
  type: Type,
  payload: DomainEventPayload<Type>,
  source = "test",
): Promise<DomainEvent<Type>> {
  const event: DomainEvent<Type> = {
    id: randomUUID(),
    type,
    source,
    occurredAt: new Date().toISOString(),
    payload: domainEventSchemas[type].parse(payload) as DomainEventPayload<Type>,
  };
  await bus.redis.xadd(streamKey(bus.redisPrefix, type), "*", "event", JSON.stringify(event));
  return event;
}
