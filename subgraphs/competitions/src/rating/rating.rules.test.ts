import { describe, expect, it } from "vitest";
import { clampRating, ratingChanges } from "./rating.rules.ts";

const finisher = (userId: string, rating: number, score: number) => ({
  userId,
  rating,
  scoreMilli: BigInt(score),
});

describe("rating rules", () => {
  it("between equals, the winner gains what the loser loses (K/2 each)", () => {
    const changes = ratingChanges([finisher("a", 1000, 10), finisher("b", 1000, 5)]);
    expect(changes).toEqual([
      { userId: "a", before: 1000, after: 1016, rank: 1 },
      { userId: "b", before: 1000, after: 984, rank: 2 },
    ]);
  });

  it("ties share a rank and, between equals, change nothing", () => {
    const changes = ratingChanges([
      finisher("a", 1000, 7),
      finisher("b", 1000, 7),
      finisher("c", 1000, 1),
    ]);
    expect(changes.map((c) => [c.rank, c.after])).toEqual([
      [1, 1008],
      [1, 1008],
      [3, 984],
    ]);
  });

  it("beating a stronger field gains more than beating a weaker one", () => {
    const [upset] = ratingChanges([finisher("a", 1000, 10), finisher("b", 1400, 5)]);
    const [expected] = ratingChanges([finisher("a", 1400, 10), finisher("b", 1000, 5)]);
    expect(upset!.after - upset!.before).toBeGreaterThan(expected!.after - expected!.before);
  });

  it("adds no rating to a field (but for rounding)", () => {
    const field = Array.from({ length: 50 }, (_, i) =>
      finisher(`u${i}`, 800 + i * 17, (i * 37) % 11),
    );
    const total = ratingChanges(field).reduce((sum, c) => sum + c.after - c.before, 0);
    expect(Math.abs(total)).toBeLessThanOrEqual(field.length / 2);
  });

  it("a lone participant keeps their rating; ratings stay within 100..5000", () => {
    expect(ratingChanges([finisher("a", 1000, 3)])[0]!.after).toBe(1000);
    expect(clampRating(42)).toBe(100);
    expect(clampRating(9000)).toBe(5000);
    const [, low] = ratingChanges([finisher("a", 100, 10), finisher("b", 100, 1)]);
    expect(low!.after).toBe(100);
  });
});
