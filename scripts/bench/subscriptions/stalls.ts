// Event-loop stalls and garbage-collection pauses of a role process over a stretch of the run:
// where a latency tail comes from. A delivery waits for every process on its path, so one process
// that stops for 100 ms (a major collection of a heap holding 10,000 subscriptions, say) delays
// every event in flight through it.
import {
  constants,
  monitorEventLoopDelay,
  PerformanceObserver,
  type PerformanceEntry,
} from "node:perf_hooks";
import type { RoleProcess } from "./children.ts";

/** What one process went through since the last reset. */
export interface StallReading {
  /** Longest and 99th-percentile event-loop delay, ms. */
  loopMaxMs: number;
  loopP99Ms: number;
  /** Major (mark-compact) collections: how many, and their pauses. */
  majorGcs: number;
  majorGcMaxMs: number;
  /** Minor (scavenge) collections: how many, and their pauses together. */
  minorGcs: number;
  minorGcTotalMs: number;
}

// The tail this explains is tens to hundreds of milliseconds.
const RESOLUTION_MS = 10;

/** Starts watching this process; `read(reset)` answers since the previous reset. */
export function watchStalls(): { read(reset: boolean): StallReading } {
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  let gcs = { majorGcs: 0, majorGcMaxMs: 0, minorGcs: 0, minorGcTotalMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gcs.majorGcs += 1;
        gcs.majorGcMaxMs = Math.max(gcs.majorGcMaxMs, entry.duration);
      } else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gcs.minorGcs += 1;
        gcs.minorGcTotalMs += entry.duration;
      }
    }
  }).observe({ entryTypes: ["gc"] });
  return {
    read(reset) {
      const reading: StallReading = {
        // The histogram records each interval of its timer in nanoseconds: the delay is what
        // exceeds the resolution.
        loopMaxMs: delayMs(loop.count > 0 ? loop.max : 0),
        loopP99Ms: delayMs(loop.count > 0 ? loop.percentile(99) : 0),
        ...gcs,
      };
      if (reset) {
        loop.reset();
        gcs = { majorGcs: 0, majorGcMaxMs: 0, minorGcs: 0, minorGcTotalMs: 0 };
      }
      return reading;
    },
  };
}

/**
 * Every role's reading and the driver's (`driver`: this process, whose stalls delay its sends and
 * its receipts' timestamps), each starting a new stretch.
 */
export async function readStalls(
  roles: RoleProcess[],
  driver: { read(reset: boolean): StallReading },
): Promise<Map<string, StallReading>> {
  const readings = await Promise.all(
    roles.map(async (role) => [role.name, await role.stalls(true)] as const),
  );
  return new Map([...readings, ["driver", driver.read(true)]]);
}

function delayMs(intervalNs: number): number {
  return Math.max(0, intervalNs / 1e6 - RESOLUTION_MS);
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** One line: each process's worst stall, its p99 and its collections over `stretch`. */
export function describeStalls(readings: Map<string, StallReading>, stretch: string): string {
  if (readings.size === 0) return "event-loop stalls: not measured";
  const parts = [...readings].map(
    ([name, r]) =>
      `${name} max ${r.loopMaxMs.toFixed(0)} ms (p99 ${r.loopP99Ms.toFixed(0)}; ` +
      plural(r.majorGcs, "major GC") +
      (r.majorGcs > 0 ? `, longest pause ${r.majorGcMaxMs.toFixed(0)} ms` : "") +
      `; ${plural(r.minorGcs, "scavenge")}, ${r.minorGcTotalMs.toFixed(0)} ms)`,
  );
  return `event-loop delay over ${stretch}: ${parts.join(", ")}`;
}
