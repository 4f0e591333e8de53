import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
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
import { deadLetterKey, legacyStreamKey, streamKey, type DomainEvent } from "./catalog.ts";
import { EventConsumer, type EventConsumerOptions } from "./consumer.ts";

// The consumer side of the event bus against real Redis Streams, with identity's `inbox_event`
// as the inbox and a row in `identity.mail_message` as each handler's observable side effect.
// Events are put on the stream directly (XADD), so nothing here touches the shared outbox table.

type Handler = (event: DomainEvent<"user.deleted">, tx: PrismaTransaction) => Promise<void>;

const logger = createLogger("test", "silent");
let prisma: PrismaClient;
let redis: Redis;

/** Per test: a Redis prefix, consumer group and mail recipient of its own. */
let prefix: string;
let stream: string;
let deadLetterStream: string;
let group: string;
let recipient: string;
const consumers: EventConsumer[] = [];

beforeAll(() => {
  prisma = createPrismaClient(inject("databaseUrl"), { maxConnections: 6 });
  redis = new Redis(inject("redisUrl"));
});

afterAll(async () => {
  await prisma?.$disconnect();
  redis?.disconnect();
});

beforeEach(() => {
  const id = randomBytes(4).toString("hex");
  prefix = `${inject("redisPrefix")}${id}:`;
  stream = streamKey(prefix, "user.deleted");
  deadLetterStream = deadLetterKey(prefix);
  group = `test_${id}`;
  recipient = `events-${id}@consumer.test`;
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  await deleteKeysWithPrefix(redis, prefix);
  await prisma.mailMessage.deleteMany({ where: { recipient } });
  await prisma.identityInboxEvent.deleteMany({ where: { consumer: group } });
});

function newEvent(): DomainEvent<"user.deleted"> {
  return {
    id: randomUUID(),
    type: "user.deleted",
    source: "test",
    occurredAt: new Date().toISOString(),
    payload: { userId: randomUUID() },
  };
}

/** XADDs `event` the way the relay does; returns the entry id. */
async function publish(event: unknown): Promise<string> {
  return (await redis.xadd(stream, "*", "event", JSON.stringify(event)))!;
}

/** The handler's side effect, in the handler's transaction: one mail row per handled event. */
async function recordMail(event: DomainEvent<"user.deleted">, tx: PrismaTransaction) {
  await tx.mailMessage.create({
    data: { id: randomUUID(), recipient, subject: event.id, body: JSON.stringify(event.payload) },
  });
}

/** A handler that records mail and counts its calls. */
function countingHandler(behaviour?: (attempt: number) => Promise<void> | void) {
  const calls: string[] = [];
  const handler: Handler = async (event, tx) => {
    calls.push(event.id);
    await recordMail(event, tx);
    await behaviour?.(calls.length);
  };
  return { calls, handler };
}

async function startConsumer(
  handler: Handler,
  options: Partial<EventConsumerOptions> = {},
): Promise<EventConsumer> {
  const consumer = new EventConsumer({
    group,
    inboxSchema: "identity",
    handlers: { "user.deleted": handler },
    prisma,
    redis,
    redisPrefix: prefix,
    logger,
    consumerName: "consumer-1",
    blockMs: 100,
    ...options,
  });
  consumers.push(consumer);
  await consumer.start();
  return consumer;
}

async function stopConsumer(consumer: EventConsumer): Promise<void> {
  consumers.splice(consumers.indexOf(consumer), 1);
  await consumer.stop();
}

/** Subjects (event ids) of the mail rows this test's handlers committed. */
async function sideEffects(): Promise<string[]> {
  const rows = await prisma.mailMessage.findMany({
    where: { recipient },
    select: { subject: true },
  });
  return rows.map((row) => row.subject).sort();
}

async function inboxCount(eventId: string): Promise<number> {
  return prisma.identityInboxEvent.count({ where: { consumer: group, eventId } });
}

async function pendingCount(): Promise<number> {
  const [count] = (await redis.xpending(stream, group)) as [number, ...unknown[]];
  return count;
}

/** The group has been handed every entry of the stream and has acknowledged all of them. */
async function expectSettled(): Promise<void> {
  const groups = (await redis.xinfo("GROUPS", stream)) as unknown[][];
  const info = groups.map((fields) => {
    const record: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i += 2) record[String(fields[i])] = fields[i + 1];
    return record;
  });
  const mine = info.find((record) => record.name === group);
  const [last] = await redis.xrevrange(stream, "+", "-", "COUNT", 1);
  expect(mine?.["last-delivered-id"]).toBe(last?.[0]);
  expect(mine?.pending).toBe(0);
}

const waitFor = <T>(check: () => Promise<T> | T, timeout = 10_000) =>
  vi.waitFor(check, { timeout, interval: 25 });

describe("EventConsumer", () => {
  it("handles an event delivered twice only once and acknowledges both deliveries", async () => {
    const event = newEvent();
    await publish(event);
    await publish(event);
    const { calls, handler } = countingHandler();
    await startConsumer(handler);

    await waitFor(expectSettled);
    expect(await redis.xlen(stream)).toBe(2);
    expect(await pendingCount()).toBe(0);
    expect(calls).toEqual([event.id]);
    expect(await sideEffects()).toEqual([event.id]);
    expect(await inboxCount(event.id)).toBe(1);
  });

  it("also consumes what the previous release published on the stream's old name", async () => {
    const [old, current] = [newEvent(), newEvent()];
    const legacy = legacyStreamKey(prefix, "user.deleted");
    await redis.xadd(legacy, "*", "event", JSON.stringify(old));
    await publish(current);
    const { handler } = countingHandler();
    await startConsumer(handler);

    await waitFor(async () => expect(await sideEffects()).toEqual([old.id, current.id].sort()));
    await waitFor(expectSettled);
    const [legacyPending] = (await redis.xpending(legacy, group)) as [number, ...unknown[]];
    expect(legacyPending).toBe(0);
  });

  it("handles an event delivered to two consumers at once only once", async () => {
    const event = newEvent();
    // Slow enough that the second delivery arrives while the first transaction is still open:
    // its inbox insert waits for the first to commit, then finds the row and skips the handler.
    const { calls, handler } = countingHandler(() => new Promise<void>((r) => setTimeout(r, 300)));
    await startConsumer(handler, { consumerName: "a", batchSize: 1 });
    await startConsumer(handler, { consumerName: "b", batchSize: 1 });
    await publish(event);
    await publish(event);

    await waitFor(expectSettled);
    expect(await pendingCount()).toBe(0);
    expect(calls).toEqual([event.id]);
    expect(await sideEffects()).toEqual([event.id]);
  });

  it("leaves a failed event pending with no side effect, retries it, then dead-letters it", async () => {
    const event = newEvent();
    const entryId = await publish(event);
    const { calls, handler } = countingHandler(() => {
      throw new Error("handler failed");
    });

    // A consumer that will not retry within the test: the failure must leave the event pending.
    const first = await startConsumer(handler, { consumerName: "first", claimIdleMs: 60_000 });
    await waitFor(() => expect(calls).toHaveLength(1));
    await stopConsumer(first);
    const [pending] = (await redis.xpending(stream, group, "-", "+", 10)) as [
      string,
      string,
      number,
      number,
    ][];
    expect(pending).toEqual([entryId, "first", expect.any(Number), 1]);
    expect(await sideEffects()).toEqual([]); // the handler's insert was rolled back
    expect(await inboxCount(event.id)).toBe(0); // so was the inbox row: it may be retried
    expect(await redis.exists(deadLetterStream)).toBe(0);

    // Another replica takes the idle event over, retries it, and gives up after 3 deliveries.
    await startConsumer(handler, { consumerName: "second", claimIdleMs: 200, maxDeliveries: 3 });
    await waitFor(async () => {
      expect(await redis.xlen(deadLetterStream)).toBe(1);
      expect(await pendingCount()).toBe(0);
    });
    expect(calls).toEqual([event.id, event.id, event.id]);
    expect(await sideEffects()).toEqual([]);
    const [[, fields]] = (await redis.xrange(deadLetterStream, "-", "+")) as [[string, string[]]];
    expect(fields).toEqual(["stream", stream, "group", group, "event", JSON.stringify(event)]);
  });

  it("retries a handler that fails once, ending with exactly one side effect", async () => {
    const event = newEvent();
    await publish(event);
    const { calls, handler } = countingHandler((attempt) => {
      if (attempt === 1) throw new Error("transient failure");
    });
    await startConsumer(handler, { claimIdleMs: 200, maxDeliveries: 3 });

    await waitFor(async () => {
      expect(await pendingCount()).toBe(0);
      await expectSettled();
    });
    expect(calls).toEqual([event.id, event.id]);
    expect(await sideEffects()).toEqual([event.id]);
    expect(await inboxCount(event.id)).toBe(1);
    expect(await redis.exists(deadLetterStream)).toBe(0);
  });

  it("retries its own pending events after a restart with the same bounded retries", async () => {
    const event = newEvent();
    await publish(event);
    const { calls, handler } = countingHandler(() => {
      throw new Error("handler failed");
    });
    const before = await startConsumer(handler, { consumerName: "worker", claimIdleMs: 60_000 });
    await waitFor(() => expect(calls).toHaveLength(1));
    await stopConsumer(before);

    // Same name: the restarted consumer finds the event among its own pending entries.
    await startConsumer(handler, { consumerName: "worker", claimIdleMs: 300, maxDeliveries: 3 });
    await waitFor(async () => {
      expect(await redis.xlen(deadLetterStream)).toBe(1);
      expect(await pendingCount()).toBe(0);
    });
    // Not re-read in a loop: delivered exactly maxDeliveries times in all.
    expect(calls).toHaveLength(3);
    expect(await sideEffects()).toEqual([]);
  });

  it("acknowledges a pending entry deleted from the stream and goes on consuming", async () => {
    const lost = newEvent();
    const lostId = await publish(lost);
    const failing = countingHandler(() => {
      throw new Error("handler failed");
    });
    const before = await startConsumer(failing.handler, {
      consumerName: "worker",
      claimIdleMs: 60_000,
    });
    await waitFor(() => expect(failing.calls).toHaveLength(1));
    await stopConsumer(before);
    // Trimmed away (MAXLEN) or deleted while still pending.
    expect(await redis.xdel(stream, lostId)).toBe(1);

    const { calls, handler } = countingHandler();
    await startConsumer(handler, { consumerName: "worker", claimIdleMs: 60_000 });
    const next = newEvent();
    await publish(next);
    await waitFor(async () => {
      expect(await sideEffects()).toEqual([next.id]);
      expect(await pendingCount()).toBe(0);
    });
    expect(calls).toEqual([next.id]);
  });

  it("acknowledges an unreadable event without calling a handler", async () => {
    await publish({ ...newEvent(), payload: { userId: "not-a-uuid" } });
    await redis.xadd(stream, "*", "event", "{not json");
    await redis.xadd(stream, "*", "other", "field");
    const good = newEvent();
    await publish(good);
    const { calls, handler } = countingHandler();
    await startConsumer(handler);

    await waitFor(expectSettled);
    expect(calls).toEqual([good.id]);
    expect(await sideEffects()).toEqual([good.id]);
  });

  it("shares the work between two consumers of a group, handling each event once", async () => {
    const handledBy = { a: 0, b: 0 };
    const handlerFor =
      (name: keyof typeof handledBy): Handler =>
      async (event, tx) => {
        handledBy[name] += 1;
        await recordMail(event, tx);
        await new Promise((r) => setTimeout(r, 20));
      };
    await startConsumer(handlerFor("a"), { consumerName: "a", batchSize: 1 });
    await startConsumer(handlerFor("b"), { consumerName: "b", batchSize: 1 });
    const events = Array.from({ length: 20 }, newEvent);
    for (const event of events) await publish(event);

    await waitFor(expectSettled);
    expect(await sideEffects()).toEqual(events.map((event) => event.id).sort());
    expect(handledBy.a + handledBy.b).toBe(events.length);
    expect(handledBy.a).toBeGreaterThan(0);
    expect(handledBy.b).toBeGreaterThan(0);
  });
});
