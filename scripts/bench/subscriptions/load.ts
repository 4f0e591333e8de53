import { setTimeout as sleep } from "node:timers/promises";
import { now } from "./ws-driver.ts";

export interface LoadResult {
  /** When the last send started (epoch ms). */
  lastSendAt: number;
  /** Worst lateness of a send against its schedule: the driver's own delay, ms. */
  maxLagMs: number;
}

/**
 * Open-loop load: send `i` starts at `start + i / rate` whether or not earlier ones finished,
 * so a slow server gets requests at the configured rate rather than the rate it can take.
 * Resolves once every send has settled.
 */
export async function runOpenLoop(
  rate: number,
  seconds: number,
  send: (index: number, startedAt: number) => Promise<void>,
): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const start = now();
  const pending: Promise<void>[] = [];
  let maxLagMs = 0;
  let lastSendAt = start;
  for (let index = 0; index < total; index += 1) {
    const due = start + (index * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    lastSendAt = now();
    maxLagMs = Math.max(maxLagMs, lastSendAt - due);
    pending.push(send(index, lastSendAt));
  }
  await Promise.allSettled(pending);
  return { lastSendAt, maxLagMs };
}
