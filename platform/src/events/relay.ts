import pg from "pg";
import { isCluster, type RedisConnection } from "../data/redis.ts";
import type { Logger } from "../logging/logger.ts";
import type { PrismaClient } from "../data/prisma.ts";
import {
  COPY_FIELD,
  domainEventSchemas,
  legacyStreamKey,
  streamKey,
  type DomainEvent,
  type DomainEventType,
} from "./catalog.ts";
import type { Outbox } from "./outbox.ts";

interface OutboxRow {
  id: bigint;
  event_id: string;
  type: DomainEventType;
  payload: unknown;
  occurred_at: Date;
}

export interface OutboxRelayOptions {
  outbox: Outbox;
  /** The producing subgraph, recorded as each event's `source`. */
  source: string;
  prisma: PrismaClient;
  /** For the LISTEN connection that wakes the relay when an event commits. */
  databaseUrl: string;
  redis: RedisConnection;
  redisPrefix: string;
  logger: Logger;
  /** Fallback poll, for notifications missed while disconnected. @default 1000 */
  pollIntervalMs?: number;
  /** Events moved per transaction. @default 200 */
  batchSize?: number;
  /** Approximate length each stream is trimmed to. @default 100000 */
  streamMaxLength?: number;
  /** How long published rows are kept before pruning. @default 7 days */
  retentionMs?: number;
}

/** How often the relay looks again for the previous release's streams (ADR 0024). */
const LEGACY_CHECK_MS = 60_000;

/**
 * Moves committed events from a subgraph's outbox to Redis Streams. A row is marked published
 * only after Redis has accepted it, so nothing is lost when the process dies between commit and
 * publish or Redis is down; the price is a possible duplicate, which consumers deduplicate.
 * One relay at a time drains an outbox (an advisory lock), publishing in outbox (id) order. Events
 * of concurrent transactions may still reach a stream in another order than they committed, so
 * consumers that keep state apply events by version, never by arrival.
 */
export class OutboxRelay {
  private listener: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = true;
  private lastPrune = 0;
  /** Types whose old-named stream exists, so the previous release's consumers read copies. */
  private legacyTypes = new Set<DomainEventType>();
  private legacyCheckedAt = -Infinity;

  constructor(private readonly options: OutboxRelayOptions) {}

  /** Starts listening and polling; returns once the first drain has been attempted. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1000);
    this.timer.unref();
    this.wake();
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => {});
    this.listener = undefined;
  }

  /** Schedules a drain, coalescing wake-ups that arrive while one runs. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = (async () => {
      do {
        this.rerun = false;
        await this.drain().catch((error: unknown) =>
          this.options.logger.warn({ err: error }, "outbox relay: drain failed, will retry"),
        );
      } while (this.rerun && !this.stopped);
      this.running = undefined;
    })();
  }

  /**
   * Publishes every unpublished event, oldest first.
   *
   * @returns how many events this call published: 0 also when another relay holds the outbox.
   * @throws when Redis or Postgres fails; the events stay in the outbox for the next attempt.
   */
  async drain(): Promise<number> {
    const batchSize = this.options.batchSize ?? 200;
    let total = 0;
    await this.findLegacyStreams();
    for (;;) {
      const moved = await this.publishBatch(batchSize);
      total += moved;
      if (moved < batchSize) break;
    }
    await this.pruneOccasionally();
    return total;
  }

  private async publishBatch(batchSize: number): Promise<number> {
    const { prisma, outbox, redis, redisPrefix, source } = this.options;
    const maxLength = this.options.streamMaxLength ?? 100_000;
    return prisma.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
          "SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked",
          outbox.table,
        );
        if (!lock?.locked) return 0;
        const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
          `SELECT id, event_id, type, payload, occurred_at FROM ${outbox.table}
           WHERE published_at IS NULL ORDER BY id LIMIT $1`,
          batchSize,
        );
        if (rows.length === 0) return 0;
        const pipeline = redis.pipeline();
        for (const row of rows) {
          const event: DomainEvent = {
            id: row.event_id,
            type: row.type,
            source,
            occurredAt: row.occurred_at.toISOString(),
            payload: row.payload as DomainEvent["payload"],
          };
          const stream = streamKey(redisPrefix, row.type);
          const fields = ["event", JSON.stringify(event)];
          pipeline.xadd(stream, "MAXLEN", "~", maxLength, "*", ...fields);
          if (this.legacyTypes.has(row.type)) {
            const legacy = legacyStreamKey(redisPrefix, row.type);
            pipeline.xadd(legacy, "MAXLEN", "~", maxLength, "*", ...fields, COPY_FIELD, stream);
          }
        }
        const results = (await pipeline.exec()) ?? [];
        const failure = results.find(([error]) => error);
        if (failure?.[0] || results.length !== pipeline.length) {
          throw failure?.[0] ?? new Error("Redis did not answer every XADD");
        }
        await tx.$executeRawUnsafe(
          `UPDATE ${outbox.table} SET published_at = now() WHERE id = ANY($1::bigint[])`,
          rows.map((row) => row.id.toString()),
        );
        return rows.length;
      },
      { timeout: 15_000 },
    );
  }

  /**
   * During a rolling deploy across the streams' rename the previous release's consumers read
   * only the old names: while an old-named stream exists (on one server; a cluster never had
   * them), each event also goes there, marked as a copy, which this release's consumers
   * acknowledge unread (they handle the original).
   */
  private async findLegacyStreams(): Promise<void> {
    const { redis, redisPrefix } = this.options;
    if (isCluster(redis) || Date.now() - this.legacyCheckedAt < LEGACY_CHECK_MS) return;
    const types = Object.keys(domainEventSchemas) as DomainEventType[];
    const pipeline = redis.pipeline();
    for (const type of types) pipeline.exists(legacyStreamKey(redisPrefix, type));
    const results = (await pipeline.exec()) ?? [];
    this.legacyTypes = new Set(types.filter((_, i) => results[i]?.[1] === 1));
    this.legacyCheckedAt = Date.now();
  }

  private async pruneOccasionally(): Promise<void> {
    const retentionMs = this.options.retentionMs ?? 7 * 24 * 3600_000;
    if (Date.now() - this.lastPrune < 3600_000) return;
    this.lastPrune = Date.now();
    await this.options.prisma.$executeRawUnsafe(
      `DELETE FROM ${this.options.outbox.table}
       WHERE published_at IS NOT NULL AND published_at < now() - ($1 || ' milliseconds')::interval`,
      String(retentionMs),
    );
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on("notification", () => this.wake());
    client.on("error", (error) => {
      this.options.logger.warn({ err: error }, "outbox relay: listen connection lost");
      this.listener = undefined;
      client.end().catch(() => {});
      this.reconnectListener();
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(this.options.outbox.channel)}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.listener = client;
  }

  /** Polling covers the gap; reconnecting makes commits wake the relay again. */
  private reconnectListener(): void {
    setTimeout(() => {
      if (!this.stopped) this.listen().catch(() => this.reconnectListener());
    }, 1000).unref();
  }
}
