import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import path from "node:path";
import type { ChildMessage, ParentMessage } from "./child-ipc.ts";
import type { StallReading } from "./stalls.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

/** A role process (a subgraph, the gateway, the baseline) on a port of its own. */
export interface RoleProcess {
  name: string;
  url: string;
  pid: number;
  /** Whether the process is still alive. */
  readonly running: boolean;
  /** Resident set size in bytes, read in the child after a full garbage collection. */
  memory(): Promise<{ rss: number; heapUsed: number }>;
  /** A full garbage collection in the child, done when this resolves. */
  collectGarbage(): Promise<void>;
  /** Its event-loop stalls and collections since the last reset; `reset` starts a new stretch. */
  stalls(reset: boolean): Promise<StallReading>;
  /** SQL statements the process sent since it started (a subgraph; the gateway sends none). */
  statements(): Promise<number>;
  /** Graceful stop (SIGTERM-like), then SIGKILL if it takes too long. */
  stop(): Promise<void>;
}

/**
 * V8's flags the services run with in production (docker-compose.yml): a young generation of up
 * to 64 MiB instead of 16. Chat, holding every subscriber's upstream subscription, scavenged 52
 * times in a minute of load at N = 5,000 (3.4 ms each) and 8 times with it; the gateway's p99
 * fell more than the bare server's (bench/RESULTS.md).
 */
const PRODUCTION_V8_FLAGS = ["--max-semi-space-size=64"];

/**
 * V8's flags for every role, the baseline's server too: production's, `gc()` for the
 * collections before each load, and no memory reducer.
 * That forced collection leaves the heap with far more memory committed than used, which the
 * reducer gives back 18 to 26 s later in major collections (pauses up to 57 ms, seen with
 * --trace-gc), in the middle of the load, in processes on the path of both phases or idle; tsx's
 * loader thread, gone quiet after start-up, did the same once. The driver runs without it too
 * (the `bench:subscriptions` script).
 */
const ROLE_V8_FLAGS = ["--expose-gc", "--no-memory-reducer", ...PRODUCTION_V8_FLAGS];

/**
 * Starts `node --import tsx <BENCH_NODE_FLAGS> <ROLE_V8_FLAGS> scripts/bench/subscriptions/<file>` with `env` on top
 * of ours, its output appended to `logFile`, and resolves once it reports its URL.
 */
export async function startRole(
  name: string,
  file: string,
  env: Record<string, string>,
  logFile: string,
): Promise<RoleProcess> {
  const log = openSync(logFile, "a");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", ...roleNodeFlags(), ...ROLE_V8_FLAGS, path.join(import.meta.dirname, file)],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", log, log, "ipc"] },
  );
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s (${logFile})`));
    }, START_TIMEOUT_MS);
    child.on("message", (message: ChildMessage) => {
      if (message.type !== "ready") return;
      clearTimeout(timer);
      resolve(message.url);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} while starting (${logFile})`));
    });
  });
  return {
    name,
    url,
    pid: child.pid!,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    memory: async () => {
      const reply = await ask(child, "memory", {});
      return { rss: reply.rss, heapUsed: reply.heapUsed };
    },
    collectGarbage: async () => {
      await ask(child, "collect", {});
    },
    stalls: async (reset) => (await ask(child, "stalls", { reset })).reading,
    statements: async () => (await ask(child, "statements", {})).count,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: "stop" } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Extra Node flags for every role process, from BENCH_NODE_FLAGS (space-separated), e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/profiles" to see where a role spends its time, or
 * "--import @pulse/platform/tracing" (with OTEL_EXPORTER_OTLP_ENDPOINT) to trace. After tsx's
 * hook, so they may import TypeScript.
 */
function roleNodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
}

let nextRequest = 0;

/** Sends a `type` request with `fields` to `child` and resolves to its answer of that type. */
function ask<Type extends "memory" | "stalls" | "collect" | "statements">(
  child: ChildProcess,
  type: Type,
  fields: Omit<Extract<ParentMessage, { type: Type }>, "id" | "type">,
): Promise<Extract<ChildMessage, { type: Type }>> {
  const id = ++nextRequest;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} reading within 30 s`)), 30_000);
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type || message.id !== id) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message as Extract<ChildMessage, { type: Type }>);
    };
    child.on("message", onMessage);
    child.send({ ...fields, type, id } as ParentMessage);
  });
}
