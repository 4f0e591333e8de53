// `pnpm bench:leaderboard`: one competition with N participants (default 100,000), seeded in
// seconds; then, for a fixed time after a warm-up, syncActivity through the gateway at a fixed
// rate while sockets follow myRankChanged and leaderboardRankChanged(top: 100) with
// user.profile.displayName. See bench/RESULTS.md. Options (environment): BENCH_PARTICIPANTS,
// BENCH_SECONDS, BENCH_WARMUP (seconds of load not measured first), BENCH_RATE (syncs a second),
// BENCH_MY_SOCKETS, BENCH_TOP_SOCKETS, BENCH_PAGES (leaderboard pages read), BENCH_SCORES (normal
// or uniform: how the seeded totals spread), BENCH_LEADERS (how many of the syncing subscribers
// stand in the top 100).
import { randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { signForwardedIdentity } from "@pulse/platform/server";
import { createPrismaClient } from "@pulse/platform/subgraph";
import { Prisma } from "@pulse/db";
import { Redis } from "ioredis";
import WebSocket from "ws";
import {
  APPLY_SCRIPT,
  MOVES_KEPT,
} from "../../subgraphs/competitions/src/leaderboard/leaderboard-index.ts";
import { loadContractOperations } from "../lib/contract-operations.ts";
import { provisionEnvironment } from "./discovery/environment.ts";
import type { RoleProcess } from "./subscriptions/children.ts";
import { describeCpu, sampleCpu } from "./subscriptions/cpu.ts";
import { startStack } from "./subscriptions/stack.ts";
import { mintAccessTokens } from "./subscriptions/tokens.ts";
import { recordStallTimeline, type TimedRequest } from "./stall-timeline.ts";
import { describeLatencies, percentile } from "./stats.ts";

const option = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PARTICIPANTS = option("BENCH_PARTICIPANTS", 100_000);
const SECONDS = option("BENCH_SECONDS", 60);
/**
 * Seconds of the same load before the measured one, not counted: the first seconds pay for
 * compiling the hot paths and for collecting what seeding and the rebuild left (a 0.6 s
 * collection in competitions in one run).
 */
const WARMUP = option("BENCH_WARMUP", 10);
const RATE = option("BENCH_RATE", 50);
const MY_SOCKETS = option("BENCH_MY_SOCKETS", 1000);
const TOP_SOCKETS = option("BENCH_TOP_SOCKETS", 1000);
const PAGES = option("BENCH_PAGES", 500);
/**
 * How many of the people who sync (the myRankChanged subscribers) are among the top 100 when
 * seeded. Random people of a normal spread almost never reach the top 100, so without them the
 * watchers' top would move only by chance (not at all in one run in three). With 10 (1 % of the
 * syncs) it moves about every two seconds, each time by several places; with 100 every watcher is
 * sent about a hundred events a second.
 */
const LEADERS = option("BENCH_LEADERS", 10);
/**
 * How the seeded totals spread. `normal` (the default): steps after about a week, 60,000 on
 * average with a standard deviation of 20,000, so the top 100 stand far ahead and a sync of up to
 * 5,000 steps passes a few percent of the board. `uniform`: 0 to 20,000, the stress case, where a
 * sync passes an eighth of the board and every eighth one enters the top 100.
 */
const SCORES = process.env.BENCH_SCORES === "uniform" ? "uniform" : "normal";
/** The most seconds the floor's apply script runs at the load's rate. */
const FLOOR_SECONDS = 20;
/** How long the last events may take to arrive after the load stops. */
const SETTLE_MS = 5_000;
/** The stretch of the load over which latency and event-loop stalls are reported together. */
const STRETCH_MS = 5_000;

const now = () => performance.timeOrigin + performance.now();
const operations = loadContractOperations();
const HOUR = 3_600_000;

const started: RoleProcess[] = [];
const environment = await provisionEnvironment();
const cleanup = async () => {
  await Promise.allSettled(started.map((child) => child.stop()));
  await environment.dispose();
};

async function run() {
  const logDir = await mkdtemp(path.join(tmpdir(), "pulse-bench-leaderboard-"));
  const { secrets, subgraphs, gateway } = await startStack(environment, logDir, started);
  const prisma = createPrismaClient(environment.databaseUrl, { maxConnections: 4 });
  const redis = new Redis(environment.redisUrl);
  const gatewayUrl = `${gateway.url}/graphql`;
  const competitionsUrl = `${subgraphs.competitions!.url}/graphql`;

  // Seed: one competition, N participants with random scores, in one statement.
  const creatorId = randomUUID();
  const [creatorToken] = await mintAccessTokens(secrets.signingKeyPem, [
    { id: creatorId, displayName: "creator" },
  ]);
  const created = await post(gatewayUrl, creatorToken!, "CreateCompetition", {
    input: {
      name: "Bench",
      metric: "STEPS",
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    },
  });
  const competitionId = (created.body.data as { createCompetition: { id: string } })
    .createCompetition.id;
  const seedStart = now();
  // Box-Muller for the normal spread; whole steps either way.
  const steps =
    SCORES === "uniform"
      ? Prisma.sql`floor(random() * 20000)`
      : Prisma.sql`greatest(0, floor(60000 + 20000 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))`;
  await prisma.$executeRaw`INSERT INTO competitions.participant (competition_id, user_id, score_milli, version)
    SELECT ${competitionId}::uuid, gen_random_uuid(), ${steps} * 1000,
      nextval('competitions.score_version_seq')
    FROM generate_series(1, ${PARTICIPANTS})`;
  await prisma.$executeRaw`UPDATE competitions.competition SET participant_count = ${PARTICIPANTS}
    WHERE id = ${competitionId}::uuid`;
  const seededMs = now() - seedStart;
  const rebuildStart = now();
  await post(gatewayUrl, creatorToken!, "Leaderboard", { competitionId, first: 1 });
  const rebuildMs = now() - rebuildStart;
  console.log(
    `seeded ${PARTICIPANTS} participants in ${(seededMs / 1000).toFixed(1)} s; first read (Redis rebuilt from Postgres) ${rebuildMs.toFixed(0)} ms`,
  );

  // People: the subscribers of myRankChanged, who also sync.
  const leaders = await prisma.$queryRaw<{ userId: string }[]>`SELECT user_id AS "userId"
    FROM competitions.participant WHERE competition_id = ${competitionId}::uuid
    ORDER BY score_milli DESC LIMIT ${LEADERS}`;
  const others = await prisma.$queryRaw<{ userId: string }[]>`SELECT user_id AS "userId"
    FROM competitions.participant WHERE competition_id = ${competitionId}::uuid
      AND user_id <> ALL(${leaders.map((row) => row.userId)}::uuid[])
    ORDER BY random() LIMIT ${Math.max(MY_SOCKETS, 100) - leaders.length}`;
  const rows = [...leaders, ...others];
  const people = rows.map((row) => ({ id: row.userId, displayName: "x" }));
  const tokens = await mintAccessTokens(secrets.signingKeyPem, people);
  const watcherTokens = await mintAccessTokens(
    secrets.signingKeyPem,
    Array.from({ length: TOP_SOCKETS }, () => ({ id: randomUUID(), displayName: "w" })),
  );

  // Subscriptions, with chain and duplicate checks.
  let delivered = 0;
  let deliveredMine = 0;
  let chainViolations = 0;
  let duplicates = 0;
  const lastRank = new Map<number, number | null>();
  const lastScore = new Map<number, number | null>();
  const topLast = new Map<number, Map<string, string>>();
  const sentAt = new Map<string, number>();
  const deliveryLatencies: number[] = [];
  const sockets: WebSocket[] = [];
  const myCount = Math.min(MY_SOCKETS, people.length);
  const connectStart = now();
  for (let start = 0; start < myCount + TOP_SOCKETS; start += 100) {
    const batch = [];
    for (let i = start; i < Math.min(start + 100, myCount + TOP_SOCKETS); i += 1) {
      const mine = i < myCount;
      batch.push(
        open(
          gateway.url,
          mine ? tokens[i]! : watcherTokens[i - myCount]!,
          mine ? "OnMyRankChanged" : "OnLeaderboardRankChanged",
          mine ? { competitionId } : { competitionId, top: 100 },
          (payload, receivedAt) => {
            delivered += 1;
            if (mine) deliveredMine += 1;
            const data = (payload as { data?: Record<string, RankChangeData> }).data;
            if (!data) return;
            if (mine) {
              const change = data.myRankChanged!;
              const previous = lastRank.get(i);
              if (previous !== undefined && change.previousRank !== previous) chainViolations += 1;
              if (change.rank === change.previousRank) duplicates += 1;
              lastRank.set(i, change.rank);
              // Only the event of the subscriber's own sync (its score moved) is timed from it:
              // one caused by someone else's sync says nothing of this one's latency.
              const ownMove = change.score !== lastScore.get(i);
              lastScore.set(i, change.score);
              const sent = sentAt.get(people[i]!.id);
              if (ownMove && sent !== undefined) {
                deliveryLatencies.push(receivedAt - sent);
                sentAt.delete(people[i]!.id);
              }
            } else {
              const change = data.leaderboardRankChanged!;
              const seen = (topLast.get(i) ?? topLast.set(i, new Map()).get(i))!;
              const key = `${change.rank}:${change.score}`;
              const before = seen.get(change.user.id);
              if (before === key) duplicates += 1;
              if (before !== undefined && change.previousRank !== Number(before.split(":")[0])) {
                chainViolations += 1;
              }
              seen.set(change.user.id, key);
            }
          },
        ).then((socket) => sockets.push(socket)),
      );
    }
    await Promise.all(batch);
  }
  console.log(
    `${sockets.length} sockets subscribed in ${((now() - connectStart) / 1000).toFixed(1)} s`,
  );
  await new Promise((resolve) => setTimeout(resolve, 2000));
  // Each myRankChanged subscriber's rank before the load: the start of its chain.
  const board = boardKey(environment.redisPrefix, competitionId);
  const rankNow = async (userId: string) => {
    const score = await redis.zscore(board, userId);
    return score === null ? null : (await redis.zcount(board, `(${score}`, "+inf")) + 1;
  };
  for (let i = 0; i < myCount; i += 1) {
    if (!lastRank.has(i)) lastRank.set(i, await rankNow(people[i]!.id));
    if (!lastScore.has(i)) {
      const score = await redis.zscore(board, people[i]!.id);
      lastScore.set(i, score === null ? null : Number(score) / 1000);
    }
  }

  // Load: syncs through the gateway at RATE a second; every fifth goes to the subgraph directly.
  const databaseName = new URL(environment.databaseUrl).pathname.slice(1);
  const roles = () => new Map(started.map((role) => [role.name, role.pid]));
  let cpuBefore: Awaited<ReturnType<typeof sampleCpu>> | undefined;
  const gatewaySyncs: number[] = [];
  const directSyncs: number[] = [];
  const timedSyncs: TimedRequest[] = [];
  const timeline = recordStallTimeline(started, STRETCH_MS, now);
  let syncErrors = 0;
  let syncs = 0;
  const endedAt = Date.now() - 60_000;
  const warmupEnd = now() + WARMUP * 1000;
  const loadEnd = warmupEnd + SECONDS * 1000;
  const inflight: Promise<void>[] = [];
  for (let tick = 0; now() < loadEnd; tick += 1) {
    if (cpuBefore === undefined && now() >= warmupEnd) {
      // The measured load starts here.
      cpuBefore = await sampleCpu(roles(), databaseName);
      await redis.config("RESETSTAT");
    }
    const measured = cpuBefore !== undefined;
    const index = Math.floor(Math.random() * myCount);
    const person = people[index]!;
    const direct = tick % 5 === 4;
    const variables = {
      input: {
        source: "MANUAL",
        records: [
          {
            externalId: randomUUID(),
            metric: "STEPS",
            value: Math.floor(Math.random() * 5000),
            startedAt: new Date(endedAt - 30 * 60_000).toISOString(),
            endedAt: new Date(endedAt).toISOString(),
          },
        ],
      },
    };
    const syncSentAt = now();
    if (measured) {
      sentAt.set(person.id, syncSentAt);
      syncs += 1;
    }
    inflight.push(
      (direct
        ? postDirect(competitionsUrl, secrets.gatewaySecret, person.id, "SyncActivity", variables)
        : post(gatewayUrl, tokens[index]!, "SyncActivity", variables)
      )
        .catch((error: unknown) => ({ ms: Number.NaN, body: { errors: [String(error)] } }))
        .then(({ ms, body }) => {
          if (body.errors) {
            syncErrors += 1;
            if (syncErrors <= 3) console.error("sync error:", JSON.stringify(body.errors));
          }
          if (Number.isNaN(ms)) return;
          timedSyncs.push({ sentAt: syncSentAt, ms });
          if (measured) (direct ? directSyncs : gatewaySyncs).push(ms);
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000 / RATE));
  }
  await Promise.all(inflight);
  const stretches = await timeline.stop(timedSyncs);
  const loadMs = SECONDS * 1000;
  const upstreams = await gatewayGauge(gateway.url, "gateway_subscription_upstreams");
  const loadCpu = describeCpu(cpuBefore!, await sampleCpu(roles(), databaseName), "the load");
  const systemRedisUsec = await redisUsec(redis);
  const systemRedisTop = await redisTopCommands(redis);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  // Leaderboard pages at N participants, deep ones included (cursors at random places).
  const positions = await prisma.$queryRaw<{ score: bigint; userId: string }[]>`
    SELECT score_milli AS score, user_id AS "userId" FROM competitions.participant
    WHERE competition_id = ${competitionId}::uuid ORDER BY random() LIMIT ${PAGES}`;
  const pageLatencies: number[] = [];
  for (const position of positions) {
    const after = Buffer.from(
      JSON.stringify([position.score.toString(), position.userId]),
    ).toString("base64url");
    const { ms } = await post(gatewayUrl, tokens[0]!, "Leaderboard", {
      competitionId,
      first: 50,
      after,
    });
    pageLatencies.push(ms);
  }

  // Lost events: each myRankChanged subscriber's last rank is their rank now.
  let lost = 0;
  for (let i = 0; i < myCount; i += 1) {
    if ((await rankNow(people[i]!.id)) !== lastRank.get(i)) lost += 1;
  }

  // Every participant's rank from Redis against a recomputation from Postgres.
  const truth = await prisma.$queryRaw<{ userId: string; rank: bigint }[]>`
    SELECT user_id AS "userId", rank() OVER (ORDER BY score_milli DESC) AS rank
    FROM competitions.participant WHERE competition_id = ${competitionId}::uuid`;
  const all = await redis.zrevrange(board, 0, -1, "WITHSCORES");
  const redisRanks = new Map<string, number>();
  let previousScore: string | null = null;
  let previousRank = 0;
  for (let i = 0; i < all.length; i += 2) {
    const rank = all[i + 1] === previousScore ? previousRank : i / 2 + 1;
    redisRanks.set(all[i]!, rank);
    previousScore = all[i + 1]!;
    previousRank = rank;
  }
  const mismatches = truth.filter((row) => redisRanks.get(row.userId) !== Number(row.rank)).length;

  // The floor: the same Redis work per sync (the apply script) from a bare script, on a copy of
  // the board, at the load's rate. Paced like the syncs, not in a tight loop: Redis idle between
  // commands runs them from cold caches, and one apply cost 169 µs at 50 a second against 23 µs
  // back to back (same script and board size, idle machine). The tight loop is printed too.
  const floorRedis = new Redis(environment.redisUrl);
  const floorKey = `${environment.redisPrefix}floor:{${competitionId}}`;
  await redis.zunionstore(`${floorKey}:board`, 1, board);
  await redis.set(`${floorKey}:ready`, "1");
  let floorCalls = 0;
  const applyOnFloor = () => {
    floorCalls += 1;
    return floorRedis.eval(
      APPLY_SCRIPT,
      6,
      `${floorKey}:board`,
      `${floorKey}:versions`,
      `${floorKey}:ready`,
      `${floorKey}:seq`,
      `${environment.redisPrefix}floor-channel:{${competitionId}}`,
      `${floorKey}:moves`,
      people[floorCalls % people.length]!.id,
      String(1e12 + floorCalls),
      String(Math.floor(Math.random() * 2e7)),
      "PUBLISH",
      String(MOVES_KEPT),
    );
  };
  const floorCount = Math.min(Math.max(syncs, 100), RATE * FLOOR_SECONDS);
  const floorUsec = async (pauseMs: number) => {
    await redis.config("RESETSTAT");
    for (let i = 0; i < floorCount; i += 1) {
      await applyOnFloor();
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    return (await redisUsec(redis)) / floorCount;
  };
  const floorPerSync = await floorUsec(1000 / RATE);
  const tightPerSync = await floorUsec(0);
  floorRedis.disconnect();

  const systemPerSync = systemRedisUsec / syncs;
  const lines = [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}; ${new Date().toISOString()}`,
    `participants ${PARTICIPANTS} (${SCORES} scores), ${SECONDS} s at ${RATE} syncs/s after ${WARMUP} s of warm-up, ${myCount} myRankChanged (${LEADERS} of them the top 100) + ${TOP_SOCKETS} leaderboardRankChanged(top: 100) sockets`,
    `sync through the gateway (${gatewaySyncs.length}): ${describeLatencies(gatewaySyncs)}`,
    `sync directly to competitions (${directSyncs.length}): ${describeLatencies(directSyncs)}`,
    `sync errors: ${syncErrors}`,
    `Leaderboard(first: 50) through the gateway, random depths (${pageLatencies.length}): ${describeLatencies(pageLatencies)}`,
    `rank-change delivery, sync sent → own myRankChanged received (${deliveryLatencies.length}): p50 ${percentile(deliveryLatencies, 50).toFixed(1)} ms, p99 ${percentile(deliveryLatencies, 99).toFixed(1)} ms`,
    `upstream subscriptions at the gateway at the end of the load: ${upstreams} for ${myCount + TOP_SOCKETS} sockets`,
    `events delivered: ${delivered} (${(delivered / (loadMs / 1000)).toFixed(0)}/s), of which myRankChanged ${deliveredMine}, leaderboardRankChanged ${delivered - deliveredMine}`,
    `chain violations ${chainViolations}, duplicated ${duplicates}, lost (last rank ≠ rank now) ${lost}`,
    `Redis ranks vs Postgres recomputation: ${mismatches} mismatches of ${truth.length}`,
    loadCpu,
    `Redis commands by CPU during the load: ${systemRedisTop}`,
    `Redis CPU per sync: system ${systemPerSync.toFixed(1)} µs (all commands: syncs, reads of subscribers), bare floor at ${RATE}/s ${floorPerSync.toFixed(1)} µs (back to back ${tightPerSync.toFixed(1)} µs); ratio ${(systemPerSync / floorPerSync).toFixed(2)}`,
  ];
  console.log(lines.join("\n"));
  console.log(
    `syncs and event-loop stalls per ${STRETCH_MS / 1000} s, warm-up (the first ${WARMUP} s) included:`,
  );
  for (const stretch of stretches) console.log(`  ${stretch}`);
  for (const socket of sockets) socket.terminate();
  redis.disconnect();
  await prisma.$disconnect();
}

interface RankChangeData {
  rank: number | null;
  previousRank: number | null;
  score: number | null;
  user: { id: string };
}

function boardKey(prefix: string, competitionId: string) {
  return `${prefix}competitions:board:{${competitionId}}`;
}

/** The commands Redis spent most CPU on since the last RESETSTAT: name, calls, microseconds. */
async function redisTopCommands(redis: Redis, count = 6): Promise<string> {
  const info = await redis.info("commandstats");
  const commands = [...info.matchAll(/cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/g)]
    .map(([, name, calls, usec]) => ({ name: name!, calls: Number(calls), usec: Number(usec) }))
    .sort((a, b) => b.usec - a.usec);
  return commands
    .slice(0, count)
    .map(({ name, calls, usec }) => `${name} ${calls} calls ${(usec / 1000).toFixed(0)} ms`)
    .join(", ");
}

/** Total CPU microseconds Redis spent on commands since the last RESETSTAT. */
async function redisUsec(redis: Redis): Promise<number> {
  const info = await redis.info("commandstats");
  let total = 0;
  for (const match of info.matchAll(/usec=(\d+)/g)) total += Number(match[1]);
  return total;
}

async function post(url: string, token: string, name: string, variables: Record<string, unknown>) {
  const start = now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: operations.get(name), operationName: name, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  return { ms: now() - start, body };
}

async function postDirect(
  url: string,
  secret: string,
  userId: string,
  name: string,
  variables: Record<string, unknown>,
) {
  const identity = await signForwardedIdentity(
    {
      viewer: { id: userId, role: "USER", sessionId: randomUUID() },
      clientIp: "127.0.0.1",
      requestId: randomUUID(),
    },
    secret,
  );
  const start = now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-pulse-identity": identity },
    body: JSON.stringify({ query: operations.get(name), operationName: name, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  return { ms: now() - start, body };
}

function open(
  baseUrl: string,
  token: string,
  operationName: string,
  variables: Record<string, unknown>,
  onNext: (payload: unknown, receivedAt: number) => void,
): Promise<WebSocket> {
  const socket = new WebSocket(
    `${baseUrl.replace(/^http/, "ws")}/graphql`,
    "graphql-transport-ws",
    {
      perMessageDeflate: false,
    },
  );
  const send = (message: object) => socket.send(JSON.stringify(message));
  return new Promise((resolve, reject) => {
    socket.on("open", () =>
      send({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }),
    );
    socket.on("error", reject);
    socket.on("message", (raw: Buffer) => {
      const receivedAt = now();
      const message = JSON.parse(raw.toString()) as { type: string; payload?: unknown };
      if (message.type === "connection_ack") {
        send({
          id: "1",
          type: "subscribe",
          payload: { query: operations.get(operationName), operationName, variables },
        });
        resolve(socket);
      } else if (message.type === "next") onNext(message.payload, receivedAt);
      else if (message.type === "ping") send({ type: "pong" });
    });
  });
}

try {
  await run();
} finally {
  await cleanup();
}

/** The value of the gauge `name` the gateway at `baseUrl` reports. */
async function gatewayGauge(baseUrl: string, name: string): Promise<number> {
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = metrics
    .split("\n")
    .find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
  return Number(line?.split(" ").at(-1));
}
