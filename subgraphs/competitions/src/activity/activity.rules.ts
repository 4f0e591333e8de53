import type { Metric } from "../competition/competition.rules.ts";

/**
 * The most of each metric a person can plausibly do per minute of a record's duration, from
 * physiology, with a margin so that real records are never refused:
 *
 * - STEPS: 250 a minute. Running cadence tops out around 180–200 steps a minute for most runners
 *   and about 240 for elite sprinters.
 * - DISTANCE_METERS: 20 m/s (1,200 a minute, 72 km/h). The fastest human sprint averages about
 *   12.4 m/s; track cyclists sprint at about 20 m/s. Faster is a car, a train or a plane.
 * - ACTIVE_MINUTES: 1 a minute: nobody is active for longer than the time that passed.
 * - CALORIES: 25 kcal a minute (1,500 kcal an hour). Elite endurance athletes burn about
 *   900–1,200 kcal an hour at race pace; short all-out efforts briefly go higher.
 */
export const MAX_PER_MINUTE: Record<Metric, number> = {
  STEPS: 250,
  DISTANCE_METERS: 1_200,
  ACTIVE_MINUTES: 1,
  CALORIES: 25,
};

/** The longest a single record may span: a day. */
export const MAX_RECORD_HOURS = 24;
/** How far in the future a record may end, for clocks that run a little fast. */
export const CLOCK_SKEW_MS = 60_000;
/** Records per sync. */
export const MAX_RECORDS_PER_SYNC = 500;

/** Why a record's value is implausible for its duration, or null when it is plausible. */
export function implausibility(record: {
  metric: Metric;
  value: number;
  startedAt: Date;
  endedAt: Date;
}): string | null {
  const minutes = (record.endedAt.getTime() - record.startedAt.getTime()) / 60_000;
  const limit = MAX_PER_MINUTE[record.metric] * minutes;
  if (record.value > limit) {
    return `${record.value} is more ${record.metric} than anyone does in ${minutes} minutes (at most ${MAX_PER_MINUTE[record.metric]} a minute)`;
  }
  if (record.metric === "STEPS" && !Number.isInteger(record.value)) {
    return "Steps are counted in whole steps";
  }
  return null;
}
