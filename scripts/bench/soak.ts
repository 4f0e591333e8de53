// `pnpm bench:soak [--minutes 10] [--warmup 60] [--concurrency 4]`: mixed traffic against the
// whole stack for a long while, to show what only time shows: memory that keeps growing, errors
// that come rarely, latency that drifts. Each subgraph and the gateway is a process of its own (the
// subscription benchmark's, scripts/bench/subscriptions). Traffic: sign-ins, discovery, swipes,
// chat with every person subscribed to their messages, competitions' syncActivity and
// leaderboard, billing's plans. It prints each process's RSS every minute, and reports its RSS and
// heap (after a full collection) after the warm-up and at the end, every error, every message not
// delivered, and p50/p99 per operation; it exits with 1 if anything failed or any process's RSS
// grew by 10 % or more.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrismaClient, type PrismaClient } from "@pulse/platform/subgraph";
import { ApiClient, type GraphQLResponse } from "../../testkit/src/api-client.ts";
import { WsTestClient, type TestSubscription } from "../../testkit/src/ws-client.ts";
import { UNLIMITED_RATE_LIMITS } from "../lib/unlimited-rate-limits.ts";
import { provisionEnvironment } from "./discovery/environment.ts";
import { percentile } from "./stats.ts";
import type { RoleProcess } from "./subscriptions/children.ts";
import { startStack } from "./subscriptions/stack.ts";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    warmup: { type: "string", default: "60" },
    concurrency: { type: "string", default: "4" },
  },
});
const MINUTES = Number(args.minutes);
const WARMUP_SECONDS = Number(args.warmup);
const CONCURRENCY = Number(args.concurrency);
/** Pairs of people who matched and write to each other. */
const PAIRS = 6;
/** Each loop's pause between requests: a steady load that leaves the shared machine room. */
const PAUSE_MS = 100;
/** How long a sent message may take to reach both subscribers once the traffic stopped. */
const DELIVERY_GRACE_MS = 15_000;
/** The largest RSS growth from warm-up to end that passes. */
const MAX_GROWTH = 0.1;
const PASSWORD = "Str0ng!Passw0rd";
const PLACE = { latitude: 48.8566, longitude: 2.3522 };

interface Person {
  id: string;
  email: string;
  client: ApiClient;
  token: string;
}

interface Pair {
  woman: Person;
  man: Person;
  conversationId: string;
}

/** Every request's latency and errors, by operation. */
class Tally {
  readonly latencies = new Map<string, number[]>();
  readonly errors = new Map<string, Map<string, number>>();

  async time(
    operation: string,
    request: () => Promise<GraphQLResponse>,
  ): Promise<GraphQLResponse | undefined> {
    const started = performance.now();
    let response: GraphQLResponse | undefined;
    let failure: string | undefined;
    try {
      response = await request();
      if (response.errors?.length)
        failure = `${String(response.errors[0]!.extensions?.code)}: ${response.errors[0]!.message}`;
      else if (response.status !== 200) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = `thrown: ${(error as Error).message}`;
    }
    const samples = this.latencies.get(operation) ?? [];
    samples.push(performance.now() - started);
    this.latencies.set(operation, samples);
    if (failure) this.fail(operation, failure);
    return failure ? undefined : response;
  }

  fail(operation: string, why: string): void {
    const byWhy = this.errors.get(operation) ?? new Map<string, number>();
    byWhy.set(why, (byWhy.get(why) ?? 0) + 1);
    this.errors.set(operation, byWhy);
  }

  get errorCount(): number {
    let count = 0;
    for (const byWhy of this.errors.values()) for (const n of byWhy.values()) count += n;
    return count;
  }
}

/** Runs `check` until it returns true, or throws `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `response`'s data, or throws its errors: for the set-up, which must not fail. */
function dataOf<Data>(response: GraphQLResponse<Data>, what: string): Data {
  if (response.errors?.length || !response.data) {
    throw new Error(`${what} failed: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

async function register(url: string, gender: "FEMALE" | "MALE", index: number): Promise<Person> {
  const email = `soak-${gender.toLowerCase()}-${index}-${randomUUID().slice(0, 8)}@example.test`;
  const anonymous = new ApiClient(url);
  const session = dataOf(
    await anonymous.op("Register", { input: { email, password: PASSWORD } }),
    "Register",
  ).register;
  const client = anonymous.withToken(session.accessToken);
  const other = gender === "FEMALE" ? "MALE" : "FEMALE";
  dataOf(
    await client.op("UpsertProfile", {
      input: {
        displayName: `Soak ${gender} ${index}`,
        username: `soak_${randomUUID().slice(0, 12).replace("-", "")}`,
        birthdate: "1996-01-01",
        gender,
        interestedIn: [other],
        bio: null,
      },
    }),
    "UpsertProfile",
  );
  dataOf(
    await client.op("UpdateLocation", {
      input: { ...PLACE, latitude: PLACE.latitude + index / 1000 },
    }),
    "UpdateLocation",
  );
  dataOf(
    await client.op("UpdatePreferences", {
      input: { minAge: 20, maxAge: 50, maxDistanceKm: 50, genders: [other] },
    }),
    "UpdatePreferences",
  );
  return { id: session.user.id, email, client, token: session.accessToken };
}

/** Registers the pairs, lets discovery see them, and matches each pair through `Swipe`. */
async function seed(url: string, prisma: PrismaClient): Promise<Pair[]> {
  const people = await Promise.all(
    Array.from({ length: PAIRS }, async (_, index) => [
      await register(url, "FEMALE", index),
      await register(url, "MALE", index),
    ]),
  );
  const ids = people.flat().map((person) => person.id);
  await until(
    "discovery's read model",
    async () => (await prisma.candidate.count({ where: { userId: { in: ids } } })) === ids.length,
  );
  return Promise.all(
    people.map(async ([woman, man]) => {
      const like = (from: Person, to: Person) =>
        from.client.op("Swipe", { input: { targetUserId: to.id, action: "LIKE" } });
      dataOf(await like(woman!, man!), "Swipe");
      const matchId = dataOf(await like(man!, woman!), "Swipe").swipe.match.id as string;
      let conversationId = "";
      await until("the match's conversation", async () => {
        conversationId = (await prisma.conversation.findUnique({ where: { matchId } }))?.id ?? "";
        return conversationId !== "";
      });
      return { woman: woman!, man: man!, conversationId };
    }),
  );
}

async function createCompetition(pairs: Pair[]): Promise<string> {
  const now = Date.now();
  const created = dataOf(
    await pairs[0]!.woman.client.op("CreateCompetition", {
      input: {
        name: "Soak steps",
        metric: "STEPS",
        startsAt: new Date(now + 2_000).toISOString(),
        endsAt: new Date(now + 24 * 3_600_000).toISOString(),
      },
    }),
    "CreateCompetition",
  );
  const competitionId = created.createCompetition.id as string;
  for (const pair of pairs) {
    for (const person of [pair.woman, pair.man]) {
      dataOf(await person.client.op("JoinCompetition", { competitionId }), "JoinCompetition");
    }
  }
  // Activity counts from the start; wait for it rather than send records before it.
  await until("the competition's start", () => Date.now() > now + 2_500);
  return competitionId;
}

const mib = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);

/** `pid`'s resident set size in bytes, from /proc. */
function residentBytes(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib ?? Number.NaN) * 1024;
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

const environment = await provisionEnvironment();
const logDir = await mkdtemp(path.join(tmpdir(), "pulse-bench-soak-"));
const children: RoleProcess[] = [];
const prisma = createPrismaClient(environment.databaseUrl, { maxConnections: 2 });
const sockets: WsTestClient[] = [];
let failed = false;
try {
  const { gateway } = await startStack(environment, logDir, children, UNLIMITED_RATE_LIMITS);
  const url = `${gateway.url}/graphql`;
  const pairs = await seed(url, prisma);
  const competitionId = await createCompetition(pairs);
  const people = pairs.flatMap((pair) => [pair.woman, pair.man]);

  // Every person subscribed to all their messages; each message must reach both of its people.
  const subscriptions = new Map<string, TestSubscription>();
  for (const person of people) {
    const socket = await WsTestClient.connect(gateway.url, person.token);
    sockets.push(socket);
    subscriptions.set(person.id, socket.subscribe("OnMessageAdded", {}));
  }
  const sent: { id: string; to: string[] }[] = [];

  const tally = new Tally();
  let activity = 0;
  const operations: [string, number, () => Promise<unknown>][] = [
    [
      "Login",
      1,
      () => {
        const person = pick(people);
        return tally.time("Login", () =>
          new ApiClient(url).op("Login", { input: { email: person.email, password: PASSWORD } }),
        );
      },
    ],
    [
      "Discover",
      3,
      () => tally.time("Discover", () => pick(people).client.op("Discover", { first: 10 })),
    ],
    [
      "Swipe",
      2,
      () => {
        // PASS is never limited and repeating it is idempotent: people pass on others' partners.
        const [pair, other] = [pick(pairs), pick(pairs)];
        if (pair === other) return Promise.resolve();
        return tally.time("Swipe", () =>
          pair.woman.client.op("Swipe", { input: { targetUserId: other.man.id, action: "PASS" } }),
        );
      },
    ],
    [
      "SendMessage",
      4,
      async () => {
        const pair = pick(pairs);
        const [from, to] = Math.random() < 0.5 ? [pair.woman, pair.man] : [pair.man, pair.woman];
        const response = await tally.time("SendMessage", () =>
          from.client.op("SendMessage", {
            input: {
              conversationId: pair.conversationId,
              body: "soak",
              clientMessageId: randomUUID(),
            },
          }),
        );
        if (response)
          sent.push({
            id: (response.data as { sendMessage: { id: string } }).sendMessage.id,
            to: [from.id, to.id],
          });
      },
    ],
    [
      "ConversationMessages",
      2,
      () => {
        const pair = pick(pairs);
        return tally.time("ConversationMessages", () =>
          pair.woman.client.op("ConversationMessages", { id: pair.conversationId, first: 20 }),
        );
      },
    ],
    [
      "SyncActivity",
      2,
      () => {
        const endedAt = new Date(Date.now() - 1_000);
        return tally.time("SyncActivity", () =>
          pick(people).client.op("SyncActivity", {
            input: {
              source: "MANUAL",
              records: [
                {
                  externalId: `soak-${++activity}`,
                  metric: "STEPS",
                  value: 100,
                  startedAt: new Date(endedAt.getTime() - 60_000).toISOString(),
                  endedAt: endedAt.toISOString(),
                },
              ],
            },
          }),
        );
      },
    ],
    [
      "Leaderboard",
      2,
      () =>
        tally.time("Leaderboard", () =>
          pick(people).client.op("Leaderboard", { competitionId, first: 10 }),
        ),
    ],
    ["Plans", 1, () => tally.time("Plans", () => new ApiClient(url).op("Plans"))],
  ];
  const weighted = operations.flatMap(([, weight, run]) =>
    Array.from({ length: weight }, () => run),
  );

  const start = Date.now();
  const warmupEnd = start + WARMUP_SECONDS * 1000;
  const end = warmupEnd + MINUTES * 60_000;
  const loops = Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < end) {
      await pick(weighted)();
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  });
  console.log(
    `soak: ${PAIRS * 2} people, ${CONCURRENCY} loops, warm-up ${WARMUP_SECONDS} s, then ${MINUTES} min`,
  );
  await until("the warm-up's end", () => Date.now() >= warmupEnd, WARMUP_SECONDS * 1000 + 60_000);
  const memoryAt = async () =>
    new Map(
      await Promise.all(children.map(async (child) => [child.name, await child.memory()] as const)),
    );
  const memoryStart = await memoryAt();
  // Warm-up latencies are not the soak's.
  tally.latencies.clear();
  // Each minute, each process's RSS as it is (no forced collection, which would land in the
  // latencies): whether a growth levels off or goes on.
  const progress = setInterval(() => {
    const rss = children.map((child) => `${child.name} ${mib(residentBytes(child.pid))}`);
    console.log(
      `  ${Math.round((Date.now() - warmupEnd) / 60_000)} min: ${tally.errorCount} errors, ${sent.length} messages; RSS MiB: ${rss.join(", ")}`,
    );
  }, 60_000);
  await Promise.all(loops);
  clearInterval(progress);
  const memoryEnd = await memoryAt();

  const undelivered = () => {
    const received = new Map(
      [...subscriptions].map(([id, subscription]) => [
        id,
        new Set(
          subscription.results.map(
            (result) => (result.data as { messageAdded: { id: string } }).messageAdded.id,
          ),
        ),
      ]),
    );
    return sent.flatMap((message) => message.to.filter((id) => !received.get(id)!.has(message.id)));
  };
  await until(
    "every message's delivery",
    () => undelivered().length === 0,
    DELIVERY_GRACE_MS,
  ).catch(() => {});
  const missing = undelivered().length;

  console.log("\nMemory after a full collection, MiB (start: after the warm-up)");
  const memory = children.map((child) => {
    const [from, to] = [memoryStart.get(child.name)!, memoryEnd.get(child.name)!];
    const growth = (to.rss - from.rss) / from.rss;
    if (growth >= MAX_GROWTH) failed = true;
    return {
      process: child.name,
      rssStart: mib(from.rss),
      rssEnd: mib(to.rss),
      growth: `${(growth * 100).toFixed(1)} %`,
      heapStart: mib(from.heapUsed),
      heapEnd: mib(to.heapUsed),
    };
  });
  console.table(memory);
  console.log("Requests after the warm-up");
  console.table(
    operations.map(([name]) => {
      const samples = tally.latencies.get(name) ?? [];
      return {
        operation: name,
        requests: samples.length,
        p50ms: +percentile(samples, 50).toFixed(1),
        p99ms: +percentile(samples, 99).toFixed(1),
      };
    }),
  );
  const errors = [...tally.errors].flatMap(([operation, byWhy]) =>
    [...byWhy].map(([why, count]) => ({ operation, why, count })),
  );
  console.log(`Errors (warm-up included): ${tally.errorCount}`);
  if (errors.length > 0) console.table(errors);
  console.log(
    `Messages sent: ${sent.length}; deliveries missing after ${DELIVERY_GRACE_MS / 1000} s: ${missing}`,
  );
  if (tally.errorCount > 0 || missing > 0) failed = true;
  console.log(
    failed ? "FAILED" : "passed: no error, nothing undelivered, no process grew 10 % or more",
  );
} finally {
  await Promise.allSettled(sockets.map((socket) => socket.close()));
  await Promise.allSettled(children.map((child) => child.stop()));
  await prisma.$disconnect();
  await environment.dispose();
  await rm(logDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
