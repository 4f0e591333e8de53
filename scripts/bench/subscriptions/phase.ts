// One measurement: N sockets to one server (the gateway or the baseline), each subscribed to its
// conversation's messageAdded; messages at a fixed rate; then what arrived, when, and how often.
import { randomBytes } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { percentile } from "../stats.ts";
import { liveChannels, waitForChannels } from "./live-channels.ts";
import type { RoleProcess } from "./children.ts";
import { describeCpu, sampleCpu } from "./cpu.ts";
import { describeStalls, readStalls, watchStalls } from "./stalls.ts";
import { DeliveryLedger, messageBody, type SentMessage } from "./deliveries.ts";
import { runOpenLoop } from "./load.ts";
import type { BenchOptions } from "./options.ts";
import type { Conversation, Person } from "./seed.ts";
import { now, SocketFleet, type SubscribeRequest, type Subscriber } from "./ws-driver.ts";

/** One message of the load: who sends what to which conversation. */
export interface PlannedMessage {
  key: string;
  body: string;
  conversation: Conversation;
  sender: Person;
  senderToken: string;
  startedAt: number;
}

export interface PhaseTarget {
  label: string;
  server: RoleProcess;
  /** Sends one message; throws when the send failed. */
  send(message: PlannedMessage): Promise<void>;
  /** Other processes whose memory growth is reported alongside (e.g. chat). */
  alsoMeasure?: RoleProcess[];
  /** Counters read before and after the load (e.g. profiles' operations), by name. */
  counters?: () => Promise<Map<string, number>>;
  /** How late the counters may report work: they are read that long after it ended. */
  countersLagMs?: number;
}

export interface Population {
  people: Person[];
  tokens: string[];
  conversations: Conversation[];
}

export interface PhaseResult {
  label: string;
  connections: number;
  connectFailures: string[];
  connectSeconds: number;
  /** Subscriptions not yet in effect at Redis when sending started. */
  notLive: number;
  rssBefore: number;
  rssAfter: number;
  mibPerThousand: number;
  /** The same for V8's used heap (JavaScript objects alone), for comparison. */
  heapMibPerThousand: number;
  sent: number;
  sendFailures: number;
  sendErrorSample: string | undefined;
  maxLagMs: number;
  /** Warm-up deliveries still missing when measuring began (not counted as lost). */
  warmupLost: number;
  /** RSS growth of `alsoMeasure` processes while the sockets connected, MiB per 1,000. */
  sideMibPerThousand: Map<string, number>;
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  strays: number;
  faulty: number;
  faultSample: string | undefined;
  ended: string[];
  latency: { p50: number; p99: number; max: number };
  fromSentAt: { p50: number; p99: number };
  sendMs: { p50: number; p99: number };
  counterDelta: Map<string, number>;
  /** Live channels still subscribed 10 s after every socket closed. */
  leftoverChannels: number;
  /** Cores each process kept busy during the load and drain. */
  cpu: string;
  /** The same while the sockets connected and subscribed. */
  connectCpu: string;
  /** Each process's event-loop stalls and collections during the load and drain. */
  stalls: string;
}

const LIVE_TIMEOUT_MS = 120_000;
const DUPLICATE_GRACE_MS = 1_000;
const MIB = 1024 * 1024;

const WARMUP_PREFIX = "warmup";

function isWarmup(payload: unknown): boolean {
  const message = (payload as { data?: { messageAdded?: { clientMessageId?: string } | null } })
    .data?.messageAdded;
  return message?.clientMessageId?.startsWith(`${WARMUP_PREFIX}-`) ?? false;
}

/** A full collection of this process (the driver), which runs without --expose-gc. */
const collectDriverGarbage: () => void = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/** The driver's own stalls delay its sends and its receipts' timestamps: they are reported too. */
const driverStalls = watchStalls();

const summary = (samples: number[]) => ({
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
});

/** What every phase of a run shares. */
export interface PhaseContext {
  population: Population;
  request: SubscribeRequest;
  options: BenchOptions;
  redis: Redis;
  redisPrefix: string;
  /** The run's role processes still running, whose CPU time and stalls are reported. */
  roles: () => RoleProcess[];
  /** The run's database, whose Postgres backends' CPU time is reported. */
  databaseName: string;
}

export async function runPhase(
  target: PhaseTarget,
  n: number,
  context: PhaseContext,
): Promise<PhaseResult> {
  const { population, request, options, redis, redisPrefix } = context;
  const processes = () => new Map(context.roles().map((role) => [role.name, role.pid]));
  const pairs = n / 2;
  const subscribers: Subscriber[] = population.people.slice(0, n).map((person, index) => ({
    index,
    userId: person.id,
    token: population.tokens[index]!,
    conversationId: population.conversations[Math.floor(index / 2)]!.id,
  }));
  const ledger = new DeliveryLedger();
  const warmup = new DeliveryLedger();
  const fleet = new SocketFleet(target.server.url, request, {
    onNext: (subscriber, payload, receivedAt) =>
      (isWarmup(payload) ? warmup : ledger).onNext(subscriber, payload, receivedAt),
    onEnd: (subscriber, what) => ledger.onEnd(subscriber, what),
  });

  const side = target.alsoMeasure ?? [];
  const before = await target.server.memory();
  const sideBefore = await Promise.all(side.map(async (child) => (await child.memory()).rss));
  const channelsBefore = await liveChannels(redis, redisPrefix);
  const connectStart = now();
  const connectCpuBefore = await sampleCpu(processes(), context.databaseName);
  await fleet.connectAll(subscribers, options.batch);
  const connectSeconds = (now() - connectStart) / 1000;
  const live = await waitForChannels(
    redis,
    redisPrefix,
    (count) => count >= channelsBefore + n,
    LIVE_TIMEOUT_MS,
  );
  const connectedAt = now();
  const connectCpu = describeCpu(
    connectCpuBefore,
    await sampleCpu(processes(), context.databaseName),
    "connecting and subscribing",
  );
  await sleep(options.settleSeconds * 1000);
  const after = await target.server.memory();
  const sideAfter = await Promise.all(side.map(async (child) => (await child.memory()).rss));

  const tag = randomBytes(3).toString("hex");
  let sendErrorSample: string | undefined;
  /** Sends at the configured rate for `seconds`, recording each message in `into`. */
  const load = (into: DeliveryLedger, prefix: string, seconds: number) =>
    runOpenLoop(options.rate, seconds, async (index, startedAt) => {
      const conversation = population.conversations[index % pairs]!;
      // Each conversation's people take turns, so both directions are exercised.
      const senderIndex = conversation.people[Math.floor(index / pairs) % 2]!;
      const key = `${prefix}-${tag}-${index}`;
      const record: SentMessage = { key, recipients: conversation.people };
      into.record(record);
      try {
        await target.send({
          key,
          body: messageBody(key, startedAt),
          conversation,
          sender: population.people[senderIndex]!,
          senderToken: population.tokens[senderIndex]!,
          startedAt,
        });
        record.ok = true;
      } catch (error) {
        record.ok = false;
        if (into === ledger)
          sendErrorSample ??= error instanceof Error ? error.message : String(error);
      }
      record.sendMs = now() - startedAt;
    });

  // Warm-up, not measured: a fresh process plans the operations and compiles its hot paths on
  // the first messages; the table is about the steady state. Same conversations as the
  // measured load; the keys tell the two apart.
  if (options.warmupSeconds > 0) {
    await load(warmup, WARMUP_PREFIX, options.warmupSeconds);
    const until = now() + options.drainSeconds * 1000;
    while (warmup.lost > 0 && now() < until) await sleep(100);
  }
  // Counters that lag (Postgres' statistics) must not pick up the connections' work late.
  await sleep(Math.max(0, (target.countersLagMs ?? 0) - (now() - connectedAt)));
  const countersBefore = await target.counters?.();
  // Garbage made before the load (the driver's sockets of the previous phase and the connecting,
  // a role's start-up and seeding) is collected now, not in a major collection in the middle of
  // it: the phase that runs first after the roles started would otherwise pay for it alone.
  collectDriverGarbage();
  await Promise.all(context.roles().map((role) => role.collectGarbage()));
  const cpuBefore = await sampleCpu(processes(), context.databaseName);
  await readStalls(context.roles(), driverStalls);
  const measured = await load(ledger, "bench", options.seconds);

  // Drain: until every owed delivery arrived (plus a moment for duplicates), or the deadline.
  const deadline = measured.lastSendAt + options.drainSeconds * 1000;
  while (ledger.lost > 0 && now() < deadline) await sleep(100);
  await sleep(Math.max(0, Math.min(DUPLICATE_GRACE_MS, deadline - now())));
  const lost = ledger.lost;
  const cpu = describeCpu(
    cpuBefore,
    await sampleCpu(processes(), context.databaseName),
    "load and drain",
  );
  const stalls = describeStalls(
    await readStalls(context.roles(), driverStalls),
    "the load and drain",
  );
  await sleep(Math.max(0, (target.countersLagMs ?? 0) - (now() - measured.lastSendAt)));
  const countersAfter = await target.counters?.();

  await fleet.closeAll();
  const leftover = await waitForChannels(
    redis,
    redisPrefix,
    (count) => count <= channelsBefore,
    10_000,
  );

  const counterDelta = new Map<string, number>();
  for (const [name, value] of countersAfter ?? []) {
    const change = value - (countersBefore?.get(name) ?? 0);
    if (change !== 0) counterDelta.set(name, change);
  }
  const sendTimes = [...ledger.sent.values()].flatMap((m) =>
    m.sendMs === undefined ? [] : [m.sendMs],
  );
  return {
    label: target.label,
    connections: n,
    connectFailures: fleet.failures,
    connectSeconds,
    notLive: Math.max(0, channelsBefore + n - live),
    rssBefore: before.rss,
    rssAfter: after.rss,
    mibPerThousand: (after.rss - before.rss) / MIB / (n / 1000),
    heapMibPerThousand: (after.heapUsed - before.heapUsed) / MIB / (n / 1000),
    sideMibPerThousand: new Map(
      side.map((child, i) => [child.name, (sideAfter[i]! - sideBefore[i]!) / MIB / (n / 1000)]),
    ),
    sent: ledger.sent.size,
    sendFailures: ledger.sendFailures,
    sendErrorSample,
    maxLagMs: measured.maxLagMs,
    warmupLost: warmup.lost,
    expected: ledger.expected,
    delivered: ledger.delivered,
    lost,
    duplicated: ledger.duplicated,
    strays: ledger.strays,
    faulty: ledger.faulty,
    faultSample: ledger.faultSample,
    ended: ledger.ended,
    latency: {
      ...summary(ledger.latencies),
      max: ledger.latencies.length
        ? ledger.latencies.reduce((max, value) => Math.max(max, value), 0)
        : Number.NaN,
    },
    fromSentAt: summary(ledger.fromSentAt),
    sendMs: summary(sendTimes),
    counterDelta,
    leftoverChannels: Math.max(0, leftover - channelsBefore),
    cpu,
    connectCpu,
    stalls,
  };
}
