import { randomBytes, randomUUID } from "node:crypto";
import { applyMigrations, ensureDatabase } from "@pulse/db/migrate";
import { Redis } from "ioredis";
import pg from "pg";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  inject,
  it,
  vi,
} from "vitest";
import { createPrismaClient, type PrismaClient, type PrismaTransaction } from "../data/prisma.ts";
import { deleteKeysWithPrefix } from "../data/redis.ts";
import { createLogger } from "../logging/logger.ts";
import { COPY_FIELD, legacyStreamKey, streamKey, type DomainEvent } from "./catalog.ts";
import { EventConsumer } from "./consumer.ts";
import { Outbox } from "./outbox.ts";
import { OutboxRelay, type OutboxRelayOptions } from "./relay.ts";

// The producer side of the event bus, end to end: identity's `outbox_event` table, the relay,
// Redis Streams, and a consumer with identity's `inbox_event` as its inbox.
//
// A relay drains the whole outbox table, so these tests run on a database of their own (on the
// run's server, migrated like the run's): a relay started by another test file (the e2e stack
// runs identity's) would otherwise publish this file's events under its own prefix, and hold the
// relay's advisory lock while this file's relays drain.

const logger = createLogger("test", "silent");
const outbox = new Outbox("identity");
let databaseUrl: string;
let prisma: PrismaClient;
let redis: Redis;

/** Per test: a Redis prefix, consumer group and mail recipient of its own. */
let prefix: string;
let stream: string;
let group: string;
let recipient: string;
const relays: OutboxRelay[] = [];
const consumers: EventConsumer[] = [];
const otherClients: Redis[] = [];

beforeAll(async () => {
  const url = new URL(inject("databaseUrl"));
  url.pathname = `${url.pathname}_events_${randomBytes(4).toString("hex")}`;
  databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  prisma = createPrismaClient(databaseUrl);
  redis = new Redis(inject("redisUrl"));
});

afterAll(async () => {
  await prisma?.$disconnect();
  redis?.disconnect();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

beforeEach(() => {
  const id = randomBytes(4).toString("hex");
  prefix = `${inject("redisPrefix")}${id}:`;
  stream = streamKey(prefix, "user.deleted");
  group = `test_${id}`;
  recipient = `events-${id}@bus.test`;
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  for (const client of otherClients.splice(0)) client.disconnect();
  await deleteKeysWithPrefix(redis, prefix);
  // The database is this file's own: start every test from an empty outbox and inbox.
  await prisma.$executeRawUnsafe(
    `TRUNCATE identity.outbox_event, identity.inbox_event, identity.mail_message`,
  );
});

async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function newRelay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  const relay = new OutboxRelay({
    outbox,
    source: "identity",
    prisma,
    databaseUrl,
    redis,
    redisPrefix: prefix,
    logger,
    // Long, so only `drain()`, `start()` and NOTIFY move events unless a test says otherwise.
    pollIntervalMs: 60_000,
    ...options,
  });
  relays.push(relay);
  return relay;
}

/** Records a `user.deleted` event in a committed transaction; returns the event id. */
function commitEvent(userId: string = randomUUID()): Promise<string> {
  return prisma.$transaction((tx) => outbox.record(tx, "user.deleted", { userId }));
}

async function outboxRow(eventId: string) {
  return prisma.identityOutboxEvent.findUnique({ where: { eventId } });
}

/** The stream's entries, with the event each carries. */
async function streamEvents(): Promise<{ entryId: string; event: DomainEvent }[]> {
  const entries = await redis.xrange(stream, "-", "+");
  return entries.map(([entryId, fields]) => {
    expect(fields[0]).toBe("event");
    return { entryId, event: JSON.parse(fields[1]!) as DomainEvent };
  });
}

async function startConsumer(): Promise<{ calls: string[] }> {
  const calls: string[] = [];
  const consumer = new EventConsumer({
    group,
    inboxSchema: "identity",
    handlers: {
      "user.deleted": async (event: DomainEvent<"user.deleted">, tx: PrismaTransaction) => {
        calls.push(event.id);
        await tx.mailMessage.create({
          data: {
            id: randomUUID(),
            recipient,
            subject: event.id,
            body: JSON.stringify(event.payload),
          },
        });
      },
    },
    prisma,
    redis,
    redisPrefix: prefix,
    logger,
    consumerName: "consumer-1",
    blockMs: 100,
  });
  consumers.push(consumer);
  await consumer.start();
  return { calls };
}

/** Subjects (event ids) of the mail rows the consumer's handler committed. */
async function sideEffects(): Promise<string[]> {
  const rows = await prisma.mailMessage.findMany({
    where: { recipient },
    select: { subject: true },
  });
  return rows.map((row) => row.subject).sort();
}

/** Waits until the consumer group has acknowledged every entry of `key` (the stream). */
async function waitUntilConsumed(key = stream): Promise<void> {
  await vi.waitFor(
    async () => {
      const [last] = await redis.xrevrange(key, "+", "-", "COUNT", 1);
      const groups = (await redis.xinfo("GROUPS", key)) as unknown[][];
      const mine = groups.find((fields) => fields[fields.indexOf("name") + 1] === group)!;
      expect(mine[mine.indexOf("last-delivered-id") + 1]).toBe(last![0]);
      expect(mine[mine.indexOf("pending") + 1]).toBe(0);
    },
    { timeout: 10_000, interval: 25 },
  );
}

describe("outbox relay", () => {
  it("never publishes an event recorded in a transaction that rolls back", async () => {
    let rolledBack: string | undefined;
    await expect(
      prisma.$transaction(async (tx) => {
        rolledBack = await outbox.record(tx, "user.deleted", { userId: randomUUID() });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(rolledBack).toBeDefined();
    expect(await outboxRow(rolledBack!)).toBeNull();

    const relay = newRelay();
    expect(await relay.drain()).toBe(0);
    expect(await redis.exists(stream)).toBe(0);

    // The same relay does publish a committed event: the rolled-back one was not merely missed.
    const committed = await commitEvent();
    expect(await relay.drain()).toBe(1);
    expect((await streamEvents()).map(({ event }) => event.id)).toEqual([committed]);
  });

  it("publishes an event committed while no relay ran exactly once, and it is handled once", async () => {
    const userId = randomUUID();
    const eventId = await commitEvent(userId); // the process "dies" before publishing
    expect((await outboxRow(eventId))?.publishedAt).toBeNull();
    expect(await redis.exists(stream)).toBe(0);

    const relay = newRelay();
    await relay.start(); // returns once the first drain has run
    const published = await streamEvents();
    expect(published).toHaveLength(1);
    expect(published[0]!.event).toEqual({
      id: eventId,
      type: "user.deleted",
      source: "identity",
      occurredAt: (await outboxRow(eventId))!.occurredAt.toISOString(),
      payload: { userId },
    });
    expect((await outboxRow(eventId))?.publishedAt).toBeInstanceOf(Date);
    expect(await relay.drain()).toBe(0); // published rows are not published again
    expect(await redis.xlen(stream)).toBe(1);
    // No previous release's stream to copy to.
    expect(await redis.exists(legacyStreamKey(prefix, "user.deleted"))).toBe(0);

    const { calls } = await startConsumer();
    await waitUntilConsumed();
    expect(calls).toEqual([eventId]);
    expect(await sideEffects()).toEqual([eventId]);
  });

  it("copies each event to the previous release's stream while it exists, and this release's consumers skip the copy", async () => {
    // The previous release's consumer group on the stream's old name, as it creates it.
    const legacy = legacyStreamKey(prefix, "user.deleted");
    await redis.xgroup("CREATE", legacy, group, "0", "MKSTREAM");
    const eventId = await commitEvent();
    expect(await newRelay().drain()).toBe(1);

    // The previous release reads the field "event" and ignores the others.
    const copies = await redis.xrange(legacy, "-", "+");
    expect(copies.map(([, fields]) => fields)).toEqual([
      [...(await redis.xrange(stream, "-", "+"))[0]![1], COPY_FIELD, stream],
    ]);
    expect((await streamEvents()).map(({ event }) => event.id)).toEqual([eventId]);

    const { calls } = await startConsumer();
    await waitUntilConsumed();
    await waitUntilConsumed(legacy);
    expect(calls).toEqual([eventId]);
    expect(await sideEffects()).toEqual([eventId]);
  });

  it("keeps events unpublished while Redis is unreachable, and publishes them once it is back", async () => {
    const eventId = await commitEvent();
    // Nothing listens on port 1; no reconnection and no retries, so commands fail at once.
    const unreachable = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    unreachable.on("error", () => {});
    otherClients.push(unreachable);

    await expect(newRelay({ redis: unreachable }).drain()).rejects.toThrow(/Connection is closed/);
    expect((await outboxRow(eventId))?.publishedAt).toBeNull();
    expect(await redis.exists(stream)).toBe(0);

    expect(await newRelay().drain()).toBe(1);
    expect((await streamEvents()).map(({ event }) => event.id)).toEqual([eventId]);
    expect((await outboxRow(eventId))?.publishedAt).toBeInstanceOf(Date);
  });

  it("publishes in commit order across batches", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push(await commitEvent());
    expect(await newRelay({ batchSize: 3 }).drain()).toBe(7);
    expect((await streamEvents()).map(({ event }) => event.id)).toEqual(ids);
    expect(await prisma.identityOutboxEvent.count({ where: { publishedAt: null } })).toBe(0);
  });

  it("publishes each event once when two relays drain at the same time", async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, () => commitEvent()));
    const first = newRelay({ batchSize: 5 });
    const second = newRelay({ batchSize: 5 });
    const counts = await Promise.all([first.drain(), second.drain()]);
    // One of them may have found the outbox locked and left it to the other; drain once more
    // so every event is out, then check nothing went out twice.
    counts.push(await first.drain());
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(40);
    const published = (await streamEvents()).map(({ event }) => event.id);
    expect(published).toHaveLength(40);
    expect(new Set(published)).toEqual(new Set(ids));
  });

  it("wakes on NOTIFY: a committed event reaches the stream long before the next poll", async () => {
    const relay = newRelay({ pollIntervalMs: 60_000 });
    await relay.start();
    expect(await redis.exists(stream)).toBe(0);

    const eventId = await commitEvent();
    await vi.waitFor(async () => expect(await redis.xlen(stream)).toBe(1), {
      timeout: 15_000,
      interval: 25,
    });
    expect((await streamEvents())[0]!.event.id).toBe(eventId);
    await vi.waitFor(
      async () => expect((await outboxRow(eventId))?.publishedAt).toBeInstanceOf(Date),
      {
        timeout: 15_000,
        interval: 25,
      },
    );
  });

  it("a duplicate publication (republished after a lost update) is handled once", async () => {
    const eventId = await commitEvent();
    const relay = newRelay();
    expect(await relay.drain()).toBe(1);
    // As if the relay died after XADD but before marking the row published.
    await prisma.identityOutboxEvent.update({ where: { eventId }, data: { publishedAt: null } });
    expect(await relay.drain()).toBe(1);
    const published = await streamEvents();
    expect(published.map(({ event }) => event.id)).toEqual([eventId, eventId]);

    const { calls } = await startConsumer();
    await waitUntilConsumed();
    expect(calls).toEqual([eventId]);
    expect(await sideEffects()).toEqual([eventId]);
    const [pending] = (await redis.xpending(stream, group)) as [number];
    expect(pending).toBe(0);
  });
});
