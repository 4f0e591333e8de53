import { describe, expect, it } from "vitest";
import { DeliveryTurns } from "./delivery-turns.ts";

/** The turn of the event loop this runs in, counted by the test's own setImmediate chain. */
function turnCounter() {
  const turn = { now: 0, stopped: false };
  const tick = () => {
    if (turn.stopped) return;
    turn.now += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  return turn;
}

describe("DeliveryTurns", () => {
  it("gives a turn its budget and the rest later turns, in the order asked", async () => {
    const turns = new DeliveryTurns(3);
    const clock = turnCounter();
    const delivered: [number, number][] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        await turns.take();
        delivered.push([i, clock.now]);
      }),
    );
    clock.stopped = true;
    expect(delivered.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const turnOf = new Map(delivered);
    // Three in the first turn, three in a later one, two in one later still.
    expect(new Set([0, 1, 2].map((i) => turnOf.get(i))).size).toBe(1);
    expect(new Set([3, 4, 5].map((i) => turnOf.get(i))).size).toBe(1);
    expect(new Set([6, 7].map((i) => turnOf.get(i))).size).toBe(1);
    expect(turnOf.get(3)!).toBeGreaterThan(turnOf.get(0)!);
    expect(turnOf.get(6)!).toBeGreaterThan(turnOf.get(3)!);
  });

  it("starts each turn with a full budget", async () => {
    const turns = new DeliveryTurns(2);
    expect([turns.take(), turns.take()]).toEqual([undefined, undefined]);
    expect(turns.take()).toBeInstanceOf(Promise);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect([turns.take(), turns.take()]).toEqual([undefined, undefined]);
  });
});
