import { describe, expect, it, vi } from "vitest";
import { boundedMemo } from "./memo.ts";

describe("boundedMemo", () => {
  it("computes each key once and forgets the oldest beyond its size", () => {
    const compute = vi.fn((key: string) => key.toUpperCase());
    const memo = boundedMemo(2, compute);
    expect([memo("a"), memo("a"), memo("b")]).toEqual(["A", "A", "B"]);
    expect(compute).toHaveBeenCalledTimes(2);
    memo("c");
    memo("a");
    expect(compute).toHaveBeenCalledTimes(4);
    memo("c");
    expect(compute).toHaveBeenCalledTimes(4);
  });
});
