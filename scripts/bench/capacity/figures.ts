// The measured figures `pnpm bench:capacity` writes to bench/capacity.json, and what the model
// (model.ts) and docs/capacity.md are computed from.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Usage } from "./meter.ts";

export const FIGURES_FILE = path.resolve(import.meta.dirname, "../../../bench/capacity.json");

/** The processes whose CPU a request costs: the services, the database and Redis. */
export const SERVICES = [
  "gateway",
  "identity",
  "profiles",
  "discovery",
  "chat",
  "competitions",
  "billing",
] as const;
export type Service = (typeof SERVICES)[number];
export const COST_CENTRES = [...SERVICES, "postgres", "redis"] as const;
export type CostCentre = (typeof COST_CENTRES)[number];

/** What one request (or one delivered event) costs, on average. */
export interface UnitCost {
  /** How many were measured. */
  count: number;
  /** Median wall-clock latency, ms: on a shared machine, for orientation only. */
  p50Ms: number;
  /** CPU ms by process. */
  cpuMs: Record<CostCentre, number>;
  /** SQL statements by subgraph. */
  statements: Partial<Record<Service, number>>;
  /** Redis commands in all, and the three most frequent by name. */
  redisCommands: number;
  topRedisCommands: string;
}

export interface MemoryCost {
  rssKiB: number;
  heapKiB: number;
}

export interface CapacityFigures {
  run: {
    command: string;
    date: string;
    commit: string;
    machine: string;
    node: string;
    /** 1-minute load average at the start and at the end of the measured phases. */
    loadAverage: { start: number; end: number };
  };
  /** Per process while nothing is asked of it: CPU ms, statements and Redis commands a second. */
  idle: {
    cpuMsPerSecond: Record<CostCentre, number>;
    statementsPerSecond: Partial<Record<Service, number>>;
    redisCommandsPerSecond: number;
  };
  /** By contract operation name. */
  operations: Record<string, UnitCost>;
  /** One `messageAdded` event delivered to one subscribed socket, beyond the send itself. */
  delivery: UnitCost;
  /**
   * CPU ms a second one open socket costs while nothing happens on it (keep-alive pings, token
   * expiry timers), with the subscriptions the model's users hold.
   */
  openSocketCpuMs: Record<CostCentre, number>;
  memory: {
    sockets: number;
    /** Each process's RSS after a full collection, once started, MiB. */
    readyRssMiB: Record<Service, number>;
    /** The same at the end: after the sockets, the requests, and closing the sockets. */
    afterRssMiB: Record<Service, number>;
    /** One idle, signed-in graphql-ws socket, at the gateway. */
    idleSocket: MemoryCost;
    /** One subscription on a socket, by subscription and process that holds memory for it. */
    subscriptions: Record<string, Partial<Record<Service, MemoryCost>>>;
  };
  /** Redis's own CPU (its process, network included) per command, over every measured request. */
  redisUsPerCommand: number;
  /** Postgres backends' CPU per statement, over every measured request. */
  postgresUsPerStatement: number;
}

/** What one of `count` units cost, from a stretch's usage (background already removed). */
export function unitCost(usage: Usage, count: number, p50Ms: number): UnitCost {
  const per = (value: number | undefined) => (value ?? 0) / count;
  const calls = Object.entries(usage.redisCalls).filter(([, value]) => value / count >= 0.05);
  const redisCommands = Object.values(usage.redisCalls).reduce((sum, value) => sum + value, 0);
  return {
    count,
    p50Ms,
    cpuMs: Object.fromEntries(
      COST_CENTRES.map((name) => [name, per(usage.cpuSeconds[name]) * 1000]),
    ) as Record<CostCentre, number>,
    statements: Object.fromEntries(
      SERVICES.filter((name) => (usage.statements[name] ?? 0) / count >= 0.05).map((name) => [
        name,
        per(usage.statements[name]),
      ]),
    ),
    redisCommands: redisCommands / count,
    topRedisCommands: calls
      .sort(([, a], [, b]) => b - a)
      .slice(0, 3)
      .map(([name, value]) => `${name} ${(value / count).toFixed(1)}`)
      .join(", "),
  };
}

export function readFigures(): CapacityFigures {
  return JSON.parse(readFileSync(FIGURES_FILE, "utf8")) as CapacityFigures;
}

export function writeFigures(figures: CapacityFigures): void {
  writeFileSync(FIGURES_FILE, `${JSON.stringify(figures, roundForFile, 2)}\n`);
}

/** Three significant decimals are more than the measurement holds. */
function roundForFile(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isInteger(value)
    ? Number(value.toPrecision(4))
    : value;
}
