import { vi } from "vitest";

/**
 * How long a test waits for something that happens asynchronously (an event relayed and
 * handled, a subscription listening, a cache invalidated). Generous: on a busy machine these take
 * far longer than on a quiet one, and a wait that passes returns as soon as its check does.
 */
export const EVENTUAL_TIMEOUT_MS = 15_000;

/** How often the check runs while it waits. */
const CHECK_INTERVAL_MS = 25;

/**
 * Runs `check` until it stops throwing (or its promise stops rejecting) and returns its result;
 * fails with the last error after {@link EVENTUAL_TIMEOUT_MS}.
 */
export function eventually<T>(
  check: () => T | Promise<T>,
  options: { timeout?: number; interval?: number } = {},
): Promise<T> {
  return vi.waitFor(check, {
    timeout: EVENTUAL_TIMEOUT_MS,
    interval: CHECK_INTERVAL_MS,
    ...options,
  });
}
