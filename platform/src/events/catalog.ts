import { z } from "zod";

/**
 * Every domain event one subgraph tells others about, with its payload schema. This is the
 * contract between subgraphs: producers validate before writing, consumers before handling.
 */
export const domainEventSchemas = {
  /** An account was deleted: every subgraph forgets or anonymises the person. */
  "user.deleted": z.object({ userId: z.uuid() }),
} as const;

export type DomainEventType = keyof typeof domainEventSchemas;
export type DomainEventPayload<Type extends DomainEventType> = z.infer<
  (typeof domainEventSchemas)[Type]
>;

/** An event as it travels through the outbox and Redis Streams. */
export interface DomainEvent<Type extends DomainEventType = DomainEventType> {
  /** Unique id, the idempotency key consumers deduplicate on. */
  id: string;
  type: Type;
  /** The subgraph that produced it. */
  source: string;
  occurredAt: string;
  payload: DomainEventPayload<Type>;
}

/** The Redis stream an event type travels on. */
export function streamKey(prefix: string, type: DomainEventType): string {
  return `${prefix}events:${type}`;
}
