/** The measures a competition can be about. */
export const METRICS = ["STEPS", "DISTANCE_METERS", "ACTIVE_MINUTES", "CALORIES"] as const;
export type Metric = (typeof METRICS)[number];

export const STATUSES = ["UPCOMING", "ACTIVE", "FINISHED"] as const;
export type CompetitionStatus = (typeof STATUSES)[number];

/** The longest window a competition may have: a year (and a day, for leap years). */
export const MAX_WINDOW_DAYS = 366;
/** The highest entry fee, in the currency's smallest unit. */
export const MAX_ENTRY_FEE_CENTS = 100_000;
/** The most participants a competition may be limited to. */
export const MAX_PARTICIPANTS_LIMIT = 1_000_000;

export interface CompetitionWindow {
  startsAt: Date;
  endsAt: Date;
}

/**
 * A competition's status, derived from its window and the clock (never stored, so never stale):
 * UPCOMING before `startsAt`, ACTIVE from `startsAt` until `endsAt`, FINISHED from `endsAt`.
 */
export function statusAt(competition: CompetitionWindow, now: Date): CompetitionStatus {
  if (now < competition.startsAt) return "UPCOMING";
  if (now < competition.endsAt) return "ACTIVE";
  return "FINISHED";
}

/** Whether an activity from `startedAt` to `endedAt` lies wholly inside the window. */
export function windowContains(
  window: CompetitionWindow,
  activity: { startedAt: Date; endedAt: Date },
): boolean {
  return activity.startedAt >= window.startsAt && activity.endedAt <= window.endsAt;
}

/** Thousandths of a metric's unit, the exact integer form scores are kept in. */
export function toMilli(value: number): bigint {
  return BigInt(Math.round(value * 1000));
}

/** A score as the API shows it: in the metric's unit. */
export function fromMilli(milli: bigint | number | string): number {
  return Number(milli) / 1000;
}
