// `pnpm bench:capacity [--requests 500] [--sockets 4000] [--compiled] [--model-only] [--write]`:
// what each hot contract operation costs each process (CPU), Postgres (statements, its CPU) and
// Redis (commands, its CPU); what an idle socket and each subscription hold in memory; and from
// those and an assumed usage profile, the pods, Redis shards and Postgres servers that serve
// 10k, 100k and 1M concurrent users (scripts/bench/capacity/model.ts).
//
// Each subgraph and the gateway is a process of its own (the subscription benchmark's), on a
// database of the run's own and a redis-server of its own (so INFO commandstats and Redis's CPU
// are the run's alone). Requests go one at a time through the gateway, so each process's CPU
// over a phase, divided by its requests, is what one request costs it; what the processes do
// when idle (with the sockets open) is taken out.
//
// It writes the figures to bench/capacity.json and prints docs/capacity.md's generated part;
// `--write` also puts it in the doc. `--model-only` skips measuring and renders the committed
// figures (after a change to the usage profile or the model).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { createPrismaClient } from "@pulse/platform/subgraph";
import { Redis } from "ioredis";
import { UNLIMITED_RATE_LIMITS } from "../lib/unlimited-rate-limits.ts";
import { provisionEnvironment } from "./discovery/environment.ts";
import { percentile } from "./stats.ts";
import type { RoleProcess } from "./subscriptions/children.ts";
import { requireOpenFiles } from "./subscriptions/fd-limit.ts";
import { waitForChannels } from "./subscriptions/live-channels.ts";
import { startStack } from "./subscriptions/stack.ts";
import {
  COST_CENTRES,
  readFigures,
  unitCost,
  writeFigures,
  type CapacityFigures,
  type CostCentre,
  type Service,
  type UnitCost,
} from "./capacity/figures.ts";
import { Meter, withoutBackground, type Usage } from "./capacity/meter.ts";
import { APP_USAGE } from "./capacity/model.ts";
import { hotOperations, sendMessage, type OperationDriver } from "./capacity/operations.ts";
import { seedPopulation } from "./capacity/population.ts";
import { renderCapacity, writeCapacityDoc } from "./capacity/render.ts";
import { measureSocketMemory } from "./capacity/sockets.ts";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "500" },
    sockets: { type: "string", default: "4000" },
    idle: { type: "string", default: "20" },
    "model-only": { type: "boolean", default: false },
    compiled: { type: "boolean", default: false },
    write: { type: "boolean", default: false },
  },
});
const REQUESTS = Number(args.requests);
/** Each operation's warm-up, a fifth of its measured requests. */
const WARMUP = Math.ceil(REQUESTS / 5);
/** A sign-in costs identity an argon2 verification, ~20 ms: a fifth as many suffice. */
const LOGINS = Math.ceil(REQUESTS / 5);
const SOCKETS = Number(args.sockets);
const IDLE_SECONDS = Number(args.idle);
const DELIVERY_TIMEOUT_MS = 60_000;
/** People beyond the sockets' (in conversations of their own): whose messages reach no socket. */
const UNWATCHED_PEOPLE = 1_000;

/** `operation`'s `count` requests after `warmup`, one at a time, and what they cost. */
async function costOf(
  meter: Meter,
  idle: Usage,
  operation: OperationDriver,
  warmup: number,
  count: number,
): Promise<UnitCost> {
  for (let index = 0; index < warmup; index += 1) await operation.send(index);
  const latencies: number[] = [];
  const usage = await meter.measure(async () => {
    for (let index = warmup; index < warmup + count; index += 1) {
      const started = performance.now();
      await operation.send(index);
      latencies.push(performance.now() - started);
    }
  });
  const cost = unitCost(withoutBackground(usage, idle), count, percentile(latencies, 50));
  console.log(
    `${operation.name}: p50 ${cost.p50Ms.toFixed(1)} ms; CPU ms ${COST_CENTRES.map((centre) => `${centre} ${cost.cpuMs[centre].toFixed(2)}`).join(", ")}; statements ${JSON.stringify(cost.statements)}; Redis ${cost.redisCommands.toFixed(1)} (${cost.topRedisCommands})`,
  );
  return cost;
}

/**
 * `withIt` minus `without`, per one of `per`: what one of the things the first phase did more
 * costs. Its p50 is `withIt`'s.
 */
function marginal(withIt: UnitCost, without: UnitCost, per: number): UnitCost {
  const minus = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(a).map(([key, value]) => [key, Math.max(0, (value - (b[key] ?? 0)) / per)]),
    );
  return {
    count: withIt.count * per,
    p50Ms: withIt.p50Ms,
    cpuMs: minus(withIt.cpuMs, without.cpuMs) as Record<CostCentre, number>,
    statements: minus(withIt.statements, without.statements),
    redisCommands: Math.max(0, (withIt.redisCommands - without.redisCommands) / per),
    topRedisCommands: "",
  };
}

/** Per second of `usage`: CPU ms by process, statements by subgraph, Redis commands. */
function rates(usage: Usage) {
  const perSecond = (values: Record<string, number>, scale = 1) =>
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, (value * scale) / usage.seconds]),
    );
  return {
    cpuMsPerSecond: perSecond(usage.cpuSeconds, 1000) as Record<CostCentre, number>,
    statementsPerSecond: perSecond(usage.statements),
    redisCommandsPerSecond:
      Object.values(usage.redisCalls).reduce((sum, n) => sum + n, 0) / usage.seconds,
  };
}

async function measure(): Promise<CapacityFigures> {
  requireOpenFiles(SOCKETS);
  if (args.compiled) useCompiledServices();
  const environment = await provisionEnvironment({ ownRedis: true });
  const logDir = await mkdtemp(path.join(tmpdir(), "pulse-bench-capacity-"));
  const children: RoleProcess[] = [];
  const redis = new Redis(environment.redisUrl);
  const prisma = createPrismaClient(environment.databaseUrl, { maxConnections: 4 });
  try {
    const { secrets, gateway } = await startStack(
      environment,
      logDir,
      children,
      UNLIMITED_RATE_LIMITS,
    );
    const url = `${gateway.url}/graphql`;
    const readyRssMiB = await rssMiB(children);
    console.log("seeding...");
    const population = await seedPopulation(
      prisma,
      redis,
      environment.redisPrefix,
      secrets.signingKeyPem,
      {
        chatters: SOCKETS + UNWATCHED_PEOPLE,
        world: 20_000,
        searchers: 200,
        swipesEach: 500,
        swipesPerSearcher: Math.ceil((WARMUP + REQUESTS) / 200),
        participants: 10_000,
        athletes: 200,
      },
    );
    const watched = population.conversations.slice(0, SOCKETS / 2);
    const unwatched = population.conversations.slice(SOCKETS / 2);
    const database = new URL(environment.databaseUrl).pathname.slice(1);
    const meter = new Meter(children, redis, database);

    const loadStart = loadavg()[0]!;
    console.log(`idle for ${IDLE_SECONDS} s...`);
    const idle = await meter.measure(() => sleep(IDLE_SECONDS * 1000));
    // Sockets first, while the processes have served nothing but the seeding: memory a process
    // freed after serving requests is reused by what comes next, which hides what that takes.
    console.log(`opening ${SOCKETS} sockets...`);
    const sockets = await measureSocketMemory(
      gateway,
      children,
      population,
      watched,
      redis,
      environment.redisPrefix,
    );
    let measured: Omit<CapacityFigures, "memory" | "run"> & { loadEnd: number };
    try {
      console.log(`idle for ${IDLE_SECONDS} s with the sockets...`);
      const idleWithSockets = await meter.measure(() => sleep(IDLE_SECONDS * 1000));
      const operations: Record<string, UnitCost> = {};
      for (const operation of hotOperations(url, population, unwatched)) {
        const login = operation.name === "Login";
        operations[operation.name] = await costOf(
          meter,
          idleWithSockets,
          operation,
          login ? Math.ceil(LOGINS / 5) : WARMUP,
          login ? LOGINS : REQUESTS,
        );
      }
      // Messages to subscribed people: each reaches both sockets of its conversation.
      const deliveredBefore = sockets.delivered();
      const last = WARMUP + REQUESTS - 1;
      const delivering: OperationDriver = {
        name: "SendMessage, both people subscribed",
        send: async (index) => {
          await sendMessage(url, population, watched, index);
          // The last send waits for every delivery, so the phase's CPU includes them all.
          if (index === last) {
            await untilDelivered(() => sockets.delivered() - deliveredBefore, 2 * (last + 1));
          }
        },
      };
      const sent = await costOf(meter, idleWithSockets, delivering, WARMUP, REQUESTS);
      const idleRates = rates(idle);
      const socketRates = rates(idleWithSockets);
      measured = {
        loadEnd: loadavg()[0]!,
        idle: idleRates,
        operations,
        delivery: marginal(sent, operations.SendMessage!, 2),
        openSocketCpuMs: Object.fromEntries(
          COST_CENTRES.map((centre) => [
            centre,
            Math.max(0, socketRates.cpuMsPerSecond[centre] - idleRates.cpuMsPerSecond[centre]) /
              SOCKETS,
          ]),
        ) as Record<CostCentre, number>,
        ...perCommandAndStatement(operations),
      };
    } finally {
      await sockets.fleet.closeAll();
    }
    for (const topic of ["message-added", "match-created"]) {
      await waitForChannels(redis, environment.redisPrefix, (n) => n === 0, 60_000, topic);
    }
    const { loadEnd, ...figures } = measured;
    return {
      run: {
        command: `pnpm bench:capacity --requests ${REQUESTS} --sockets ${SOCKETS}${args.compiled ? " --compiled" : ""}`,
        date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
        commit: execFileSync("git", ["rev-parse", "--short", "HEAD"]).toString().trim(),
        machine: `${cpus().length} × ${cpus()[0]?.model.trim()}`,
        node: process.versions.node,
        loadAverage: { start: loadStart, end: loadEnd },
      },
      ...figures,
      memory: {
        sockets: SOCKETS,
        readyRssMiB,
        // After the requests, the sockets closed: what a pod holds before its users' sockets.
        afterRssMiB: await rssMiB(children),
        idleSocket: sockets.idleSocket,
        subscriptions: sockets.subscriptions,
      },
    };
  } finally {
    await Promise.allSettled(children.map((child) => child.stop()));
    redis.disconnect();
    await prisma.$disconnect();
    await environment.dispose();
    await rm(logDir, { recursive: true, force: true });
  }
}

/** Redis's CPU per command and Postgres's per statement, over every operation measured. */
function perCommandAndStatement(operations: Record<string, UnitCost>) {
  let [redisMs, commands, postgresMs, statements] = [0, 0, 0, 0];
  for (const cost of Object.values(operations)) {
    redisMs += cost.cpuMs.redis * cost.count;
    commands += cost.redisCommands * cost.count;
    postgresMs += cost.cpuMs.postgres * cost.count;
    statements += Object.values(cost.statements).reduce((sum, n) => sum + n, 0) * cost.count;
  }
  return {
    redisUsPerCommand: (redisMs * 1000) / commands,
    postgresUsPerStatement: (postgresMs * 1000) / statements,
  };
}

/**
 * Runs the services from their compiled `dist/` (`pnpm build`), as the images do: only the
 * benchmark's own wrappers go through tsx, whose transforms of every source file would
 * otherwise be counted in each process's memory.
 */
function useCompiledServices(): void {
  if (!existsSync(path.resolve(import.meta.dirname, "../../gateway/dist/index.js"))) {
    throw new Error("--compiled runs the services' dist/: run `pnpm build` first");
  }
  process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ""} --conditions=pulse-compiled`;
}

/** Each process's RSS after a full collection, MiB. */
async function rssMiB(roles: RoleProcess[]): Promise<Record<Service, number>> {
  const entries = await Promise.all(
    roles.map(async (role) => [role.name, (await role.memory()).rss / 2 ** 20] as const),
  );
  return Object.fromEntries(entries) as Record<Service, number>;
}

async function untilDelivered(delivered: () => number, expected: number): Promise<void> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  while (delivered() < expected) {
    if (Date.now() > deadline) {
      throw new Error(`${delivered()} of ${expected} messages delivered in time`);
    }
    await sleep(50);
  }
}

const figures = args["model-only"] ? readFigures() : await measure();
if (!args["model-only"]) writeFigures(figures);
const generated = renderCapacity(figures, APP_USAGE);
console.log(`\n${generated}`);
if (args.write) await writeCapacityDoc(generated);
