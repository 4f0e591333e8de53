// CPU time per process over a stretch of the run, from /proc (Linux; elsewhere it reports
// nothing): which process the load actually costs, and how busy the machine was overall, so
// that other work on the machine shows up instead of silently inflating latencies.
import { readdir, readFile } from "node:fs/promises";
import { cpus } from "node:os";
import { now } from "./ws-driver.ts";

/** Clock ticks per second of /proc's counters (USER_HZ), 100 on Linux. */
const TICKS = 100;

export interface CpuSample {
  at: number;
  /** CPU seconds used so far, by label, then by pid (a label may span many processes). */
  seconds: Map<string, Map<number, number>>;
  /** Machine-wide busy CPU seconds (all cores), from /proc/stat. */
  machineBusy: number;
  /**
   * Of those, the seconds the hypervisor gave our virtual cores to someone else (steal): while
   * it does, every process here stalls at once, whatever it was doing.
   */
  machineStolen: number;
}

async function processSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command, which may contain spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/**
 * CPU seconds of `processes` (label → pid), of the driver (this process), of the Postgres
 * backends serving `database` (their command line names it) and of redis-server, and of the
 * whole machine.
 */
export async function sampleCpu(
  processes: Map<string, number>,
  database: string,
): Promise<CpuSample | undefined> {
  try {
    const seconds = new Map<string, Map<number, number>>();
    const add = (label: string, pid: number, value: number) => {
      if (!seconds.has(label)) seconds.set(label, new Map());
      seconds.get(label)!.set(pid, value);
    };
    for (const [label, pid] of processes) {
      add(label, pid, await processSeconds(pid).catch(() => 0));
    }
    const usage = process.cpuUsage();
    add("driver", process.pid, (usage.user + usage.system) / 1e6);
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const command = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
      // Autovacuum's workers name the database too, but run on their own schedule.
      const label = command.startsWith("postgres:")
        ? command.includes(database) && !command.includes("autovacuum")
          ? "postgres"
          : undefined
        : command.startsWith("redis-server")
          ? "redis-server"
          : undefined;
      if (label) add(label, pid, await processSeconds(pid).catch(() => 0));
    }
    const [, ...values] = (await readFile("/proc/stat", "utf8")).split("\n")[0]!.split(/\s+/);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const ticks = values.slice(0, 8).map(Number);
    const busy = ticks.reduce((sum, value) => sum + value, 0) - ticks[3]! - ticks[4]!;
    return { at: now(), seconds, machineBusy: busy / TICKS, machineStolen: ticks[7]! / TICKS };
  } catch {
    return undefined;
  }
}

/**
 * Cores each process kept busy between two samples (CPU seconds per wall second), plus
 * "elsewhere": whatever else ran on the machine meanwhile, of which the hypervisor's steal.
 */
export function describeCpu(
  before: CpuSample | undefined,
  after: CpuSample | undefined,
  stretch: string,
): string {
  if (!before || !after) return "CPU: not available here";
  const wall = (after.at - before.at) / 1000;
  const parts: string[] = [];
  let ours = 0;
  for (const [label, pids] of after.seconds) {
    let used = 0;
    // A process started in between counts in full; one that ended in between is missed.
    for (const [pid, value] of pids) used += value - (before.seconds.get(label)?.get(pid) ?? 0);
    if (used <= 0) continue;
    ours += used;
    parts.push(`${label} ${(used / wall).toFixed(2)}`);
  }
  const busy = (after.machineBusy - before.machineBusy) / wall;
  const elsewhere = Math.max(0, busy - ours / wall);
  const stolen = (after.machineStolen - before.machineStolen) / wall;
  return (
    `CPU cores busy over ${wall.toFixed(1)} s of ${stretch}: ${parts.join(", ")}; ` +
    `anything else on the machine ${elsewhere.toFixed(2)} (of which stolen by the hypervisor ` +
    `${stolen.toFixed(2)}); machine total ${busy.toFixed(2)} of ${cpus().length}`
  );
}
