import { EventQueue } from "@pulse/platform/server";
import { describe, expect, it, vi } from "vitest";
import type { Standing } from "./leaderboard-index.ts";
import type { BoardChange } from "./rank-changed.topic.ts";
import { RankWatchers } from "./rank-watchers.ts";

/** A board of people by score (thousandths), its number, and its watchers. */
function board(scores: Record<string, number>, seq = 10) {
  const state = { scores: { ...scores }, seq };
  const rankOf = (userId: string) =>
    1 + Object.values(state.scores).filter((score) => score > state.scores[userId]!).length;
  const read = vi.fn(async (userId: string) => {
    const score = state.scores[userId];
    const standing: Standing | null =
      score === undefined ? null : { rank: rankOf(userId), scoreMilli: BigInt(score) };
    return { standing, seq: state.seq };
  });
  const changes = new EventQueue<BoardChange>(() => {});
  const watchers = new RankWatchers(changes, read);
  /** Moves `userId` to `score` on the board and announces it. */
  const move = (userId: string, score: number) => {
    const oldScore = state.scores[userId] ?? false;
    const oldRank = oldScore === false ? 0 : rankOf(userId);
    state.scores[userId] = score;
    state.seq += 1;
    changes.push({
      kind: "move",
      seq: String(state.seq),
      userId,
      oldScore,
      newScore: score,
      oldRank,
      newRank: rankOf(userId),
      oldPos: -1,
      newPos: -1,
    });
  };
  /** Until the announcements pushed so far are applied. */
  const settled = () => changes.whenEmpty().then(() => new Promise((r) => setImmediate(r)));
  return { state, read, changes, watchers, move, settled, rankOf };
}

describe("RankWatchers", () => {
  it("moves the ranks of those the mover passed, and the mover's own, and wakes no one else", async () => {
    const people = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${i}`, i * 1000]));
    const b = board(people);
    const all = await Promise.all(Object.keys(people).map((id) => b.watchers.add(id)));
    // p100 (100,000) jumps to 103,500: it passes p101, p102, p103 alone.
    b.move("p100", 103_500);
    await b.settled();
    const woken = all.filter((watcher) => watcher.changed).map((watcher) => watcher.userId);
    expect(woken.sort()).toEqual(["p100", "p101", "p102", "p103"]);
    for (const watcher of all) expect(watcher.rank).toBe(b.rankOf(watcher.userId));
    // And back down, below where it started.
    b.move("p100", 50);
    await b.settled();
    for (const watcher of all) expect(watcher.rank).toBe(b.rankOf(watcher.userId));
  });

  it("tells a waiting watcher once, however many moves came meanwhile", async () => {
    const b = board({ a: 5000, b: 1000, c: 2000 });
    const watcher = await b.watchers.add("a");
    const woken = watcher.next();
    b.move("b", 6000);
    b.move("c", 7000);
    await woken;
    await b.settled();
    expect(watcher.rank).toBe(3);
  });

  it("reads everyone afresh after a gap in the numbering or a rebuilt board", async () => {
    const b = board({ a: 5000, b: 1000 });
    const watcher = await b.watchers.add("b");
    expect(b.read).toHaveBeenCalledTimes(1);
    // A lost announcement: b is passed by nobody, but a jumped below b unannounced.
    b.state.scores.a = 500;
    b.state.seq += 1;
    b.move("c", 100);
    await vi.waitFor(() => expect(watcher.rank).toBe(1));
    expect(b.read).toHaveBeenCalledTimes(2);
    // The board is rebuilt: the numbering starts again.
    b.state.seq = 1;
    b.state.scores.a = 9000;
    b.changes.push({ kind: "reset", seq: "1" });
    await vi.waitFor(() => expect(watcher.rank).toBe(2));
    b.move("a", 100);
    await vi.waitFor(() => expect(watcher.rank).toBe(1));
  });

  it("catches a late read up with the moves applied while it was on the way", async () => {
    const b = board({ a: 5000, b: 1000 });
    await b.watchers.add("a");
    // b's read answers with the board before a's next move; the move is applied first.
    let answer!: () => void;
    const stale = { standing: { rank: 2, scoreMilli: 1000n }, seq: b.state.seq };
    b.read.mockImplementationOnce(() => new Promise((resolve) => (answer = () => resolve(stale))));
    const adding = b.watchers.add("b");
    b.move("b", 9000);
    await b.settled();
    answer();
    const watcher = await adding;
    expect(watcher.rank).toBe(1);
    // Caught up from the announcements kept, without reading again (which load would overtake).
    expect(b.read).toHaveBeenCalledTimes(2);
    b.move("a", 9500);
    await vi.waitFor(() => expect(watcher.rank).toBe(2));
  });

  it("ends its watchers when removed or when the announcements end", async () => {
    const b = board({ a: 5000, b: 1000 });
    const [a, other] = [await b.watchers.add("a"), await b.watchers.add("b")];
    const waiting = a.next();
    b.watchers.remove(a);
    await waiting;
    expect(a.ended).toBe(true);
    expect(b.watchers.size).toBe(1);
    b.changes.end();
    await other.next();
    expect(other.ended).toBe(true);
    expect(b.watchers.closed).toBe(true);
  });
});
