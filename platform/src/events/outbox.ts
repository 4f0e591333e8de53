import { randomUUID } from "node:crypto";
import { domainEventSchemas, type DomainEventPayload, type DomainEventType } from "./catalog.ts";

/** What can run SQL inside the caller's transaction (a Prisma transaction client). */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * Where a subgraph keeps its outbox: the `outbox_event` table of its own Postgres schema, and
 * the channel its relay listens on.
 */
export class Outbox {
  readonly table: string;
  readonly channel: string;

  constructor(readonly schema: string) {
    if (!/^[a-z_]+$/.test(schema)) throw new Error(`invalid outbox schema name: ${schema}`);
    this.table = `"${schema}"."outbox_event"`;
    this.channel = `${schema}_outbox`;
  }

  /**
   * Records an event in the same transaction as the change it describes, so it is published if
   * and only if the change commits; the NOTIFY wakes the relay as soon as it does.
   *
   * @returns the event id.
   */
  async record<Type extends DomainEventType>(
    tx: SqlExecutor,
    type: Type,
    payload: DomainEventPayload<Type>,
  ): Promise<string> {
    const valid = domainEventSchemas[type].parse(payload);
    const id = randomUUID();
    await tx.$executeRawUnsafe(
      `INSERT INTO ${this.table} (event_id, type, payload) VALUES ($1::uuid, $2, $3::jsonb)`,
      id,
      type,
      JSON.stringify(valid),
    );
    await tx.$executeRawUnsafe(`SELECT pg_notify($1, '')`, this.channel);
    return id;
  }
}
