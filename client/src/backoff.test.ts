import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.ts";

describe("backoffDelay", () => {
  const options = { baseMs: 100, maxMs: 1_000 };

  it("waits up to a ceiling that doubles per attempt and stops at the cap", () => {
    const ceilings = [0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, options, () => 1));
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it("spreads the wait uniformly below the ceiling (full jitter)", () => {
    expect(backoffDelay(2, options, () => 0)).toBe(0);
    expect(backoffDelay(2, options, () => 0.5)).toBe(200);
  });
});
