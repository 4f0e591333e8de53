import { describe, expect, it } from "vitest";
import { fromMilli, statusAt, toMilli, windowContains } from "./competition.rules.ts";

const window = {
  startsAt: new Date("2026-01-01T00:00:00Z"),
  endsAt: new Date("2026-01-08T00:00:00Z"),
};

describe("competition rules", () => {
  it("derives the status from the window and the clock", () => {
    expect(statusAt(window, new Date("2025-12-31T23:59:59Z"))).toBe("UPCOMING");
    expect(statusAt(window, window.startsAt)).toBe("ACTIVE");
    expect(statusAt(window, new Date("2026-01-07T23:59:59Z"))).toBe("ACTIVE");
    expect(statusAt(window, window.endsAt)).toBe("FINISHED");
  });

  it("counts an activity only when it lies wholly inside the window", () => {
    const at = (from: string, to: string) => ({ startedAt: new Date(from), endedAt: new Date(to) });
    expect(windowContains(window, at("2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"))).toBe(true);
    expect(windowContains(window, at("2025-12-31T23:30:00Z", "2026-01-01T00:30:00Z"))).toBe(false);
    expect(windowContains(window, at("2026-01-07T23:30:00Z", "2026-01-08T00:30:00Z"))).toBe(false);
  });

  it("keeps values in exact thousandths", () => {
    expect(toMilli(0.1) + toMilli(0.2)).toBe(toMilli(0.3));
    expect(fromMilli(toMilli(1234.5678))).toBe(1234.568);
  });
});
