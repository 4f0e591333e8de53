// What a stretch of the run cost: each process's CPU (from /proc), the CPU of the Postgres
// backends serving the run's database, the run's own redis-server's CPU (its INFO, in
// microseconds: /proc counts in 10 ms ticks, too coarse for Redis's share of a request), each
// subgraph's SQL statements (its StatementCounter) and Redis's commands by name (INFO
// commandstats). CPU time rather than throughput: on a shared, noisy machine a process's CPU per
// request barely moves while wall-clock throughput follows whatever else runs.
import type { Redis } from "ioredis";
import type { RoleProcess } from "../subscriptions/children.ts";
import { sampleCpu, type CpuSample } from "../subscriptions/cpu.ts";
import { now } from "../subscriptions/ws-driver.ts";

/** Counters at one moment. */
interface Reading {
  at: number;
  cpu: CpuSample;
  redisCpuSeconds: number;
  statements: Map<string, number>;
  redisCalls: Map<string, number>;
}

/** What a stretch cost, in total. */
export interface Usage {
  seconds: number;
  /** CPU seconds by label: each role, "postgres" and "redis". */
  cpuSeconds: Record<string, number>;
  statements: Record<string, number>;
  redisCalls: Record<string, number>;
}

/** Calls by command name since the server started, from INFO commandstats. */
async function redisCalls(redis: Redis): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const match of (await redis.info("commandstats")).matchAll(/cmdstat_(\S+?):calls=(\d+)/g)) {
    calls.set(match[1]!, Number(match[2]));
  }
  return calls;
}

/** The CPU seconds Redis used since it started (user and system), from INFO cpu. */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1]);
  return field("used_cpu_user") + field("used_cpu_sys");
}

/** `after - before` for every key of `after`. */
function delta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  return Object.fromEntries(
    [...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)] as const),
  );
}

/**
 * CPU seconds by label between two samples, process by process: one started in between counts
 * in full, one that ended in between is missed (a pool's connections live for the run).
 */
function cpuDelta(before: CpuSample, after: CpuSample): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [label, pids] of after.seconds) {
    used[label] = 0;
    for (const [pid, seconds] of pids) {
      used[label] += seconds - (before.seconds.get(label)?.get(pid) ?? 0);
    }
  }
  return used;
}

export class Meter {
  /** `database` is the run's database name, which its Postgres backends' command lines carry. */
  constructor(
    private readonly roles: RoleProcess[],
    private readonly redis: Redis,
    private readonly database: string,
  ) {}

  /** Runs `stretch` and returns what it cost. */
  async measure(stretch: () => Promise<void>): Promise<Usage> {
    const before = await this.read();
    await stretch();
    const after = await this.read();
    return {
      seconds: (after.at - before.at) / 1000,
      cpuSeconds: {
        ...cpuDelta(before.cpu, after.cpu),
        redis: after.redisCpuSeconds - before.redisCpuSeconds,
      },
      statements: delta(before.statements, after.statements),
      redisCalls: delta(before.redisCalls, after.redisCalls),
    };
  }

  private async read(): Promise<Reading> {
    const processes = new Map(this.roles.map((role) => [role.name, role.pid]));
    const cpu = await sampleCpu(processes, this.database);
    if (!cpu) throw new Error("CPU times need Linux's /proc");
    const statements = new Map(
      await Promise.all(
        this.roles.map(async (role) => [role.name, await role.statements()] as const),
      ),
    );
    return {
      at: now(),
      cpu,
      redisCpuSeconds: await redisCpuSeconds(this.redis),
      statements,
      redisCalls: await redisCalls(this.redis),
    };
  }
}

/**
 * `usage` without what the processes do when no request comes (timers, pollers, consumers'
 * blocking reads), at the rates `idle` shows, scaled to `usage`'s length; never below zero.
 */
export function withoutBackground(usage: Usage, idle: Usage): Usage {
  const scale = usage.seconds / idle.seconds;
  const subtract = (of: Record<string, number>, background: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(of).map(([key, value]) => [
        key,
        Math.max(0, value - (background[key] ?? 0) * scale),
      ]),
    );
  return {
    seconds: usage.seconds,
    cpuSeconds: subtract(usage.cpuSeconds, idle.cpuSeconds),
    statements: subtract(usage.statements, idle.statements),
    redisCalls: subtract(usage.redisCalls, idle.redisCalls),
  };
}
