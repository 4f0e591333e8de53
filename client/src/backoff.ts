/** How long to wait before reconnecting: exponential, capped, with full jitter. */
export interface BackoffOptions {
  /** The first attempt's ceiling. */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The wait before attempt `attempt` (0 for the first retry): a uniformly random time up to
 * `min(maxMs, baseMs * 2^attempt)` ("full jitter"), so clients cut off together do not come
 * back together.
 */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs }: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
