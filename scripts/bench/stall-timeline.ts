// Latency and event-loop stalls per stretch of a load: whether a latency tail comes in bursts, and
// which process (a role or the driver itself, whose stalls delay its sends and its timestamps)
// stopped while it did.
import type { RoleProcess } from "./subscriptions/children.ts";
import { readStalls, watchStalls, type StallReading } from "./subscriptions/stalls.ts";
import { percentile } from "./stats.ts";

interface Stretch {
  from: number;
  to: number;
  stalls: Map<string, StallReading>;
}

/** A request of the load: when it was sent and how long it took, ms. */
export interface TimedRequest {
  sentAt: number;
  ms: number;
}

export interface StallTimeline {
  /**
   * Stops reading, then one line per stretch that sent requests: those requests (their p95 and
   * max) and the three processes that stalled longest.
   */
  stop(requests: TimedRequest[]): Promise<string[]>;
}

/** Reads every role's stalls and the driver's each `stretchMs`, from now until `stop`. */
export function recordStallTimeline(
  roles: RoleProcess[],
  stretchMs: number,
  now: () => number,
): StallTimeline {
  const driver = watchStalls();
  const read = () => readStalls(roles, driver);
  const stretches: Stretch[] = [];
  const start = now();
  let from = start;
  // Starts every role's stretch here.
  let reading: Promise<unknown> = read();
  const take = () => {
    const to = now();
    reading = reading.then(async () => {
      stretches.push({ from, to, stalls: await read() });
      from = to;
    });
  };
  const timer = setInterval(take, stretchMs);
  return {
    async stop(requests) {
      clearInterval(timer);
      take();
      await reading;
      return stretches.flatMap(({ from, to, stalls }) => {
        const inStretch = requests
          .filter((r) => r.sentAt >= from && r.sentAt < to)
          .map((r) => r.ms);
        // The last stretch may hold only the wait for the last answers.
        if (inStretch.length === 0) return [];
        const worst = [...stalls]
          .sort(([, a], [, b]) => b.loopMaxMs - a.loopMaxMs)
          .slice(0, 3)
          .map(
            ([name, r]) =>
              `${name} ${r.loopMaxMs.toFixed(0)}${r.majorGcs > 0 ? ` (${r.majorGcs} major GC)` : ""}`,
          )
          .join(", ");
        const seconds = (at: number) => ((at - start) / 1000).toFixed(0);
        return [
          `${seconds(from)}–${seconds(to)} s: ${inStretch.length} sent, p95 ${percentile(inStretch, 95).toFixed(0)} ms, ` +
            `max ${Math.max(0, ...inStretch).toFixed(0)} ms; longest event-loop stall (ms): ${worst}`,
        ];
      });
    },
  };
}
