import type { Standing } from "./leaderboard-index.ts";
import type { BoardChange } from "./rank-changed.topic.ts";

/** How many of the last announcements a board's watchers keep for reads that come late. */
const RECENT_KEPT = 1024;

/** Reads where a person stands on the board now, and the board's number then. */
export type StandingReader = (
  userId: string,
) => Promise<{ standing: Standing | null; seq: number }>;

/** One `myRankChanged` subscriber: where its person stands, as of the board's announcements. */
export interface RankWatcher {
  readonly userId: string;
  rank: number | null;
  scoreMilli: bigint | null;
  /** Set when its standing changed since it last looked; cleared by {@link RankWatcher.next}. */
  changed: boolean;
  /** Removed, or the board's announcements ended: it hears nothing more. */
  ended: boolean;
  /** Resolves once its standing changed (or it ended); rejects when it cannot be told. */
  next(): Promise<void>;
}

/** The board's own state of a watcher. */
interface Watched extends RankWatcher {
  /** Announcements up to this board number are in its standing already. */
  from: number;
  /** Thousandths, as the board announces them; null off the board. */
  score: number | null;
  /** Being read afresh: announcements pass it by. */
  pending: boolean;
  failure?: unknown;
  wake?: () => void;
}

/**
 * The `myRankChanged` subscribers of one board in this process. Each board change is applied once
 * for all of them, and touches only those whose rank it moves: the mover's own, and those whose
 * score lies between the mover's old and new one (found by binary search in the watchers sorted
 * by score). So a change costs O(log n + moved), not a wake-up of every subscriber.
 *
 * A gap in the numbering (a missed announcement) or a rebuilt board makes every watcher read its
 * standing afresh. A read older than announcements already applied (its reply came after them)
 * catches up from the recent announcements kept, rather than reading again: under load, a read
 * made again would be overtaken again.
 */
export class RankWatchers {
  /** The last board number applied; undefined until the first read or announcement. */
  private seq: number | undefined;
  /** Bumped by a rebuilt board or a gap: reads started before it are stale. */
  private epoch = 0;
  /** The watchers on the board (score known), by score ascending. */
  private readonly sorted: Watched[] = [];
  private readonly byUser = new Map<string, Set<Watched>>();
  private readonly all = new Set<Watched>();
  /** The last announcements applied, in order: what a read that came late catches up from. */
  private readonly recent: Extract<BoardChange, { kind: "move" }>[] = [];
  private stopped = false;

  constructor(
    private readonly changes: AsyncIterableIterator<BoardChange>,
    private readonly read: StandingReader,
  ) {
    void this.follow();
  }

  /** How many watchers follow the board. */
  get size(): number {
    return this.all.size;
  }

  /** Whether it stopped following the board: a new watcher needs another. */
  get closed(): boolean {
    return this.stopped;
  }

  /** Stops following the board; its watchers end. */
  close(): void {
    this.stopped = true;
    void this.changes.return?.();
    this.endAll();
  }

  /** Adds a watcher of `userId`, resolved once its standing is read. */
  async add(userId: string): Promise<RankWatcher> {
    const watcher: Watched = {
      userId,
      rank: null,
      scoreMilli: null,
      score: null,
      changed: false,
      from: 0,
      pending: true,
      ended: false,
      next: () => this.waitFor(watcher),
    };
    this.all.add(watcher);
    let same = this.byUser.get(userId);
    if (!same) this.byUser.set(userId, (same = new Set()));
    same.add(watcher);
    try {
      await this.resync(watcher);
    } catch (error) {
      this.remove(watcher);
      throw error;
    }
    watcher.changed = false;
    return watcher;
  }

  /** Stops telling `watcher`; its pending `next()` resolves. */
  remove(watcher: RankWatcher): void {
    const watched = watcher as Watched;
    if (watched.ended) return;
    watched.ended = true;
    this.all.delete(watched);
    this.byUser.get(watched.userId)?.delete(watched);
    if (this.byUser.get(watched.userId)?.size === 0) this.byUser.delete(watched.userId);
    this.unsort(watched);
    this.wake(watched);
  }

  /** Ends every watcher: the board's announcements ended. */
  private endAll(failure?: unknown): void {
    for (const watcher of [...this.all]) {
      if (failure !== undefined) watcher.failure = failure;
      this.remove(watcher);
    }
  }

  private async follow(): Promise<void> {
    try {
      for await (const change of this.changes) this.apply(change);
      this.stopped = true;
      this.endAll();
    } catch (error) {
      this.stopped = true;
      this.endAll(error);
    }
  }

  private apply(change: BoardChange): void {
    const number = Number(change.seq);
    if (change.kind === "reset" || (this.seq !== undefined && number > this.seq + 1)) {
      // A rebuilt board restarts the numbering; a gap hides moves: everyone reads afresh.
      this.seq = number;
      this.epoch += 1;
      this.recent.length = 0;
      for (const watcher of this.all) if (!watcher.pending) this.refresh(watcher);
      return;
    }
    if (this.seq !== undefined && number <= this.seq) return;
    this.seq = number;
    this.recent.push(change);
    if (this.recent.length > RECENT_KEPT) this.recent.shift();
    for (const watcher of this.byUser.get(change.userId) ?? []) {
      if (watcher.pending || number <= watcher.from) continue;
      this.unsort(watcher);
      takeOwnMove(watcher, change);
      this.insort(watcher);
      this.wake(watcher);
    }
    // Another's rank moves when the mover passed its score, one way or the other.
    const { oldScore, newScore } = change;
    let from = -Infinity;
    let to: number;
    let delta: number;
    if (oldScore === false && newScore === false) return;
    if (oldScore === false) [to, delta] = [newScore as number, 1];
    else if (newScore === false) [to, delta] = [oldScore, -1];
    else if (newScore > oldScore) [from, to, delta] = [oldScore, newScore, 1];
    else if (newScore < oldScore) [from, to, delta] = [newScore, oldScore, -1];
    else return;
    const end = this.lowerBound(to);
    for (let i = this.lowerBound(from); i < end; i += 1) {
      const watcher = this.sorted[i]!;
      if (watcher.userId === change.userId || number <= watcher.from) continue;
      watcher.rank = (watcher.rank ?? 0) + delta;
      this.wake(watcher);
    }
  }

  /** Reads `watcher`'s standing afresh, in the background. */
  private refresh(watcher: Watched): void {
    this.resync(watcher).catch((error: unknown) => {
      watcher.failure = error;
      this.remove(watcher);
    });
  }

  /**
   * Reads `watcher`'s standing, catches it up with the announcements applied since the read was
   * made (read again only if they are no longer kept, or the board was rebuilt meanwhile), then
   * puts it back on the board.
   */
  private async resync(watcher: Watched): Promise<void> {
    watcher.pending = true;
    this.unsort(watcher);
    for (;;) {
      const epoch = this.epoch;
      const { standing, seq } = await this.read(watcher.userId);
      if (watcher.ended) return;
      if (epoch !== this.epoch) continue;
      const missed = this.since(seq);
      if (!missed) continue;
      this.seq ??= seq;
      watcher.from = Math.max(seq, this.seq);
      watcher.rank = standing?.rank ?? null;
      watcher.scoreMilli = standing?.scoreMilli ?? null;
      watcher.score = standing ? Number(standing.scoreMilli) : null;
      for (const change of missed) catchUp(watcher, change);
      watcher.pending = false;
      this.insort(watcher);
      this.wake(watcher);
      return;
    }
  }

  /** The announcements applied after board number `seq`; undefined if not all are kept. */
  private since(seq: number): Extract<BoardChange, { kind: "move" }>[] | undefined {
    if (this.seq === undefined || seq >= this.seq) return [];
    const first = this.recent[0];
    if (!first || Number(first.seq) > seq + 1) return undefined;
    return this.recent.slice(seq + 1 - Number(first.seq));
  }

  private wake(watcher: Watched): void {
    watcher.changed = true;
    const wake = watcher.wake;
    watcher.wake = undefined;
    wake?.();
  }

  private async waitFor(watcher: Watched): Promise<void> {
    if (!watcher.changed && !watcher.ended) {
      await new Promise<void>((resolve) => (watcher.wake = resolve));
    }
    watcher.changed = false;
    if (watcher.failure !== undefined) throw watcher.failure;
  }

  /** The first place in `sorted` whose score is at least `score`. */
  private lowerBound(score: number): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]!.score! < score) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private insort(watcher: Watched): void {
    if (watcher.score === null || watcher.pending || watcher.ended) return;
    this.sorted.splice(this.lowerBound(watcher.score), 0, watcher);
  }

  private unsort(watcher: Watched): void {
    if (watcher.score === null) return;
    for (let i = this.lowerBound(watcher.score); i < this.sorted.length; i += 1) {
      const candidate = this.sorted[i]!;
      if (candidate === watcher) {
        this.sorted.splice(i, 1);
        return;
      }
      if (candidate.score !== watcher.score) return;
    }
  }
}

/** Takes the standing a move announces for its mover. */
function takeOwnMove(watcher: Watched, change: Extract<BoardChange, { kind: "move" }>): void {
  watcher.rank = change.newRank || null;
  watcher.score = change.newScore === false ? null : change.newScore;
  watcher.scoreMilli = change.newScore === false ? null : BigInt(change.newScore);
}

/**
 * Applies one announcement to a watcher that is off the board (being read afresh): the rule
 * `apply` finds by range in the sorted watchers, for one watcher.
 */
function catchUp(watcher: Watched, change: Extract<BoardChange, { kind: "move" }>): void {
  if (change.userId === watcher.userId) {
    takeOwnMove(watcher, change);
    return;
  }
  if (watcher.score === null || watcher.rank === null) return;
  const before = change.oldScore !== false && change.oldScore > watcher.score;
  const after = change.newScore !== false && change.newScore > watcher.score;
  watcher.rank += Number(after) - Number(before);
}
