import { hostname } from "node:os";
import { duplicateConnection, isCluster, type RedisConnection } from "../data/redis.ts";
import type { Logger } from "../logging/logger.ts";
import type { PrismaClient, PrismaTransaction } from "../data/prisma.ts";
import {
  COPY_FIELD,
  deadLetterKey,
  domainEventSchemas,
  legacyStreamKey,
  streamKey,
  type DomainEvent,
  type DomainEventType,
} from "./catalog.ts";

/** Work a handler leaves for after its transaction committed, such as dropping cached copies. */
export type AfterCommit = () => Promise<void>;

/**
 * Handlers by event type. Each runs in the transaction that records the event as processed, and
 * may return what to do once that transaction committed (best effort: not retried).
 */
export type EventHandlers = {
  [Type in DomainEventType]?: (
    event: DomainEvent<Type>,
    tx: PrismaTransaction,
  ) => Promise<void | AfterCommit>;
};

export interface EventConsumerOptions {
  /** The consuming subgraph: its consumer group, and the owner of the inbox table. */
  group: string;
  /** The Postgres schema whose `inbox_event` table records processed events. */
  inboxSchema: string;
  handlers: EventHandlers;
  prisma: PrismaClient;
  /** Duplicated into a dedicated connection, since reads block. */
  redis: RedisConnection;
  redisPrefix: string;
  logger: Logger;
  /** @default `${hostname}-${pid}` */
  consumerName?: string;
  /** How long one read waits for new events. @default 2000 */
  blockMs?: number;
  /** @default 50 */
  batchSize?: number;
  /** Pending events idle this long (a crashed consumer's) are taken over. @default 30000 */
  claimIdleMs?: number;
  /** Deliveries after which an event that keeps failing goes to the dead-letter stream. @default 5 */
  maxDeliveries?: number;
}

/** Fields are null for a pending entry that has since been deleted from the stream (trimmed). */
type StreamEntry = [id: string, fields: string[] | null];

/**
 * Consumes domain events from Redis Streams through a consumer group, so each event is handled
 * by one replica of the consuming subgraph. Handling is idempotent: the event id is inserted
 * into the subgraph's inbox in the same transaction as the handler's changes, and a redelivered
 * event finds it there and is skipped. An event is acknowledged only after that transaction
 * commits; one whose handler keeps failing is moved to a dead-letter stream.
 */
export class EventConsumer {
  private connection: RedisConnection | undefined;
  private loop: Promise<void> | undefined;
  private stopped = true;
  private readonly types: DomainEventType[];
  /** The streams read: every handled type's, and the legacy ones that still exist. */
  private streams: string[] = [];
  private readonly consumerName: string;

  constructor(private readonly options: EventConsumerOptions) {
    if (!/^[a-z_]+$/.test(options.inboxSchema)) throw new Error("invalid inbox schema");
    this.types = Object.keys(options.handlers) as DomainEventType[];
    this.consumerName = options.consumerName ?? `${hostname()}-${process.pid}`;
  }

  async start(): Promise<void> {
    if (this.types.length === 0) return;
    this.stopped = false;
    const { group, redisPrefix } = this.options;
    const connection = duplicateConnection(this.options.redis, `${group}-events`);
    this.connection = connection;
    // Listeners are not duplicated; the read loop already retries, this only keeps errors logged.
    connection.on("error", (error: Error) =>
      this.options.logger.warn({ err: error }, "event consumer: redis error"),
    );
    this.streams = this.types.map((type) => streamKey(redisPrefix, type));
    for (const stream of this.streams) {
      // From the start of the stream: a newly deployed consumer catches up on retained history.
      await connection.xgroup("CREATE", stream, group, "0", "MKSTREAM").catch((error: Error) => {
        if (!error.message.includes("BUSYGROUP")) throw error;
      });
    }
    if (!isCluster(connection)) {
      for (const type of this.types) {
        const legacy = legacyStreamKey(redisPrefix, type);
        if (!(await connection.exists(legacy))) continue;
        await connection.xgroup("CREATE", legacy, group, "0").catch((error: Error) => {
          if (!error.message.includes("BUSYGROUP")) throw error;
        });
        this.streams.push(legacy);
      }
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connection?.disconnect();
    await this.loop;
    this.connection = undefined;
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    // Our own pending entries first: events read but not acknowledged before a restart. Each is
    // read once (the cursor moves past it); one that fails again stays pending and is retried,
    // then dead-lettered, by `reclaimStale` like any other.
    let history: Map<string, string> | undefined = new Map(this.streams.map((s) => [s, "0"]));
    while (!this.stopped) {
      try {
        if (Date.now() - lastClaim > this.claimIdleMs() / 2) {
          lastClaim = Date.now();
          await this.reclaimStale();
        }
        const batches = await this.read(history);
        if (history) {
          if (batches.every(([, entries]) => entries.length === 0)) history = undefined;
          else {
            for (const [stream, entries] of batches) {
              const last = entries.at(-1);
              if (last) history.set(stream, last[0]);
            }
          }
        }
        for (const [stream, entries] of batches) {
          for (const entry of entries) await this.process(stream, entry);
        }
      } catch (error) {
        if (this.stopped) break;
        this.options.logger.warn({ err: error }, "event consumer: read failed, retrying");
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Reads our own pending entries after `history`'s ids, or new entries when it is undefined. */
  private async read(history: Map<string, string> | undefined): Promise<[string, StreamEntry[]][]> {
    const { group, batchSize = 50, blockMs = 2000 } = this.options;
    const result = (await this.connection!.call(
      "XREADGROUP",
      "GROUP",
      group,
      this.consumerName,
      "COUNT",
      batchSize,
      // Only new entries are worth waiting for; reading our own pending ones must not block.
      ...(history ? [] : ["BLOCK", blockMs]),
      "STREAMS",
      ...this.streams,
      ...this.streams.map((stream) => history?.get(stream) ?? ">"),
    )) as [string, StreamEntry[]][] | null;
    return result ?? [];
  }

  /** Takes over events another consumer read but never acknowledged, or dead-letters them. */
  private async reclaimStale(): Promise<void> {
    const { group, maxDeliveries = 5 } = this.options;
    for (const stream of this.streams) {
      const pending = (await this.connection!.xpending(
        stream,
        group,
        "IDLE",
        this.claimIdleMs(),
        "-",
        "+",
        100,
      )) as [string, string, number, number][];
      for (const [id, , , deliveries] of pending) {
        const claimed = (await this.connection!.xclaim(
          stream,
          group,
          this.consumerName,
          this.claimIdleMs(),
          id,
        )) as StreamEntry[];
        const entry = claimed[0];
        if (!entry) continue;
        if (deliveries >= maxDeliveries) await this.deadLetter(stream, entry, deliveries);
        else await this.process(stream, entry);
      }
    }
  }

  private async process(stream: string, [id, fields]: StreamEntry): Promise<void> {
    const { group, logger } = this.options;
    if (isCopy(fields)) {
      // A copy for the previous release's consumers: the original is on the stream we read.
      await this.connection!.xack(stream, group, id);
      return;
    }
    const event = parseEvent(fields);
    const handler = event && this.options.handlers[event.type];
    if (!event || !handler) {
      logger.error({ stream, id }, "event consumer: unreadable event, acknowledging");
      await this.connection!.xack(stream, group, id);
      return;
    }
    let afterCommit: void | AfterCommit;
    try {
      afterCommit = await this.options.prisma.$transaction(async (tx) => {
        const inserted = await tx.$executeRawUnsafe(
          `INSERT INTO "${this.options.inboxSchema}"."inbox_event" (consumer, event_id)
           VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING`,
          group,
          event.id,
        );
        if (inserted === 0) return;
        return (
          handler as (event: DomainEvent, tx: PrismaTransaction) => Promise<void | AfterCommit>
        )(event, tx);
      });
    } catch (error) {
      // Left pending: retried once idle, dead-lettered after too many deliveries.
      logger.error({ err: error, eventId: event.id, type: event.type }, "event handler failed");
      return;
    }
    await afterCommit?.().catch((error: unknown) =>
      logger.warn({ err: error, eventId: event.id, type: event.type }, "after-commit work failed"),
    );
    // Should the acknowledgement fail, the event is redelivered and its inbox row skips it.
    await this.connection!.xack(stream, group, id).catch((error: unknown) =>
      logger.warn({ err: error, eventId: event.id }, "event consumer: acknowledgement failed"),
    );
  }

  private async deadLetter(stream: string, [id, fields]: StreamEntry, deliveries: number) {
    const { group, redisPrefix, logger } = this.options;
    logger.error({ stream, id, deliveries }, "event consumer: giving up, dead-lettering");
    await this.connection!.xadd(
      deadLetterKey(redisPrefix),
      "*",
      "stream",
      stream,
      "group",
      group,
      ...(fields ?? []),
    );
    await this.connection!.xack(stream, group, id);
  }

  private claimIdleMs(): number {
    return this.options.claimIdleMs ?? 30_000;
  }
}

function isCopy(fields: string[] | null): boolean {
  return fields?.some((field, i) => i % 2 === 0 && field === COPY_FIELD) ?? false;
}

function parseEvent(fields: string[] | null): DomainEvent | undefined {
  if (!fields) return undefined;
  const index = fields.indexOf("event");
  const raw = index >= 0 ? fields[index + 1] : undefined;
  if (!raw) return undefined;
  try {
    const event = JSON.parse(raw) as DomainEvent;
    const schema = domainEventSchemas[event.type];
    if (!schema?.safeParse(event.payload).success) return undefined;
    return event;
  } catch {
    return undefined;
  }
}
