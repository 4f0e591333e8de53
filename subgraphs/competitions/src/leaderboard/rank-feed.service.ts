import { createHash } from "node:crypto";
import { badUserInput, EventQueue, forbidden, type Viewer } from "@pulse/platform/server";
import type { Competition as CompetitionRow } from "@pulse/db";
import type { LivePubSub, PrismaClient } from "@pulse/platform/subgraph";
import type { CompetitionService } from "../competition/competition.service.ts";
import type { BoardEntry, LeaderboardIndex, Standing } from "./leaderboard-index.ts";
import type { RankChangeSource } from "./leaderboard.type.ts";
import { rankChangedTopic, type BoardChange } from "./rank-changed.topic.ts";
import { RankWatchers, type RankWatcher } from "./rank-watchers.ts";

/** A board's watchers, once this process follows its announcements. */
interface BoardWatchersEntry {
  ready: Promise<RankWatchers>;
  board?: RankWatchers;
}

export interface RankFeedDeps {
  prisma: PrismaClient;
  live: LivePubSub;
  index: LeaderboardIndex;
  competitions: CompetitionService;
}

export const DEFAULT_TOP = 100;
export const MAX_TOP = 1000;

/** An event of a rank feed, with the position a resumed subscription continues from. */
export interface RankEvent extends RankChangeSource {
  position: string;
  /**
   * The name of what the subscriber has been told once it got the event, when that is all its
   * later events depend on (`SHARED_STATE_EXTENSION`): the last event of a top's update.
   */
  sharedState?: string;
  /**
   * The competition, read once when the subscription started: resolving `competition` per event
   * needs no query (competitions do not change after creation).
   */
  competition: CompetitionRow;
}

/**
 * The live rank feeds. Each board announces every change on its channel, numbered by Redis in
 * the same atomic step as the change (`seq`), so a subscriber sees them in the board's order and
 * notices a gap (a missed message, a rebuilt board) by its number; it then reads its standing
 * afresh. Under a burst, the changes waiting for a subscriber are applied together and it gets
 * one event per rank that changed, whose `previousRank` is the rank of the previous event it got
 * about that person: coalesced, never lost.
 */
export class RankFeed {
  /**
   * The latest top read per (board, size), shared by this process's `leaderboardRankChanged`
   * subscribers: after a change inside the top, one read serves every subscriber that needs a
   * top at least as new as that change.
   */
  private readonly tops = new Map<
    string,
    { users: number; latest?: { entries: BoardEntry[]; seq: number }; reading?: Promise<void> }
  >();

  /**
   * Where those who left a top stand, by the read of the top they left: the process's watchers
   * sharing that read tell of the same departures, and read each once between them.
   */
  private readonly departures = new WeakMap<object, Map<string, Promise<Standing | null>>>();

  /** The `myRankChanged` watchers of each board in this process. */
  private readonly rankWatchers = new Map<string, BoardWatchersEntry>();

  /** The name of each read of a top, by its content (see {@link topState}). */
  private readonly topStates = new WeakMap<object, string>();

  constructor(private readonly deps: RankFeedDeps) {}

  /** Where `userId`, who is not in the top read `top`, stands now: read once per read of a top. */
  private departure(top: object, competitionId: string, userId: string): Promise<Standing | null> {
    let readings = this.departures.get(top);
    if (!readings) this.departures.set(top, (readings = new Map()));
    let reading = readings.get(userId);
    if (!reading) {
      reading = this.deps.index.standing(competitionId, userId).then(({ standing }) => standing);
      readings.set(userId, reading);
    }
    return reading;
  }

  /**
   * The name of what a watcher told the top `view` (read as `read`) knows: its entries, hashed.
   * Watchers in that state get the same events from then on, whenever they subscribed and through
   * whichever replica, since each update tells the difference between the new top and this one.
   */
  private topState(
    read: object,
    competitionId: string,
    size: number,
    view: Map<string, BoardEntry>,
  ): string {
    let state = this.topStates.get(read);
    if (state === undefined) {
      const hash = createHash("sha256");
      for (const entry of view.values()) {
        hash.update(`${entry.userId}:${entry.rank}:${entry.scoreMilli};`);
      }
      state = `top:${competitionId}:${size}:${hash.digest("base64url")}`;
      this.topStates.set(read, state);
    }
    return state;
  }

  /** A top of `size` entries whose board number is at least `minSeq` (the one shared if fresh). */
  private async sharedTop(
    competitionId: string,
    size: number,
    minSeq: number,
  ): Promise<{ entries: BoardEntry[]; seq: number }> {
    const key = `${competitionId}:${size}`;
    const shared = this.tops.get(key);
    if (!shared) return this.deps.index.top(competitionId, size);
    // Announcements reach a subscriber after Redis applied them: a read started now is new enough.
    for (;;) {
      if (shared.latest && shared.latest.seq >= minSeq) return shared.latest;
      if (!shared.reading) {
        shared.reading = this.deps.index
          .top(competitionId, size)
          .then((top) => {
            if (!shared.latest || top.seq >= shared.latest.seq) shared.latest = top;
          })
          .finally(() => (shared.reading = undefined));
      }
      await shared.reading;
    }
  }

  private share(competitionId: string, size: number): () => void {
    const key = `${competitionId}:${size}`;
    const shared = this.tops.get(key) ?? { users: 0 };
    shared.users += 1;
    this.tops.set(key, shared);
    return () => {
      shared.users -= 1;
      if (shared.users === 0) this.tops.delete(key);
    };
  }

  /**
   * The viewer's own rank in a competition they joined: an event whenever it changes, whoever
   * caused it. The process's watchers of the board share the work of each change
   * ({@link RankWatchers}): it touches only those whose rank it moves.
   *
   * @param resumeAfter the rank the gateway last delivered: if it changed meanwhile, the current
   * standing comes first.
   * @param since without `resumeAfter`, when the client subscribed (less a margin): if the rank
   * changed since, the current standing comes first.
   * @throws NOT_FOUND for an unknown competition, FORBIDDEN for a non-participant.
   */
  async myRank(
    viewer: Viewer,
    competitionId: string,
    resumeAfter: string | undefined,
    since?: Date,
  ): Promise<AsyncIterableIterator<RankEvent>> {
    const competition = await this.deps.competitions.require(competitionId);
    const joined = await this.deps.prisma.competitionParticipant.findUnique({
      where: { competitionId_userId: { competitionId, userId: viewer.id } },
      select: { userId: true },
    });
    if (!joined) throw forbidden("Only participants follow their rank");
    const me = viewer.id;
    const { board, watcher } = await this.watch(competitionId, me);
    let lastSent: number | null;
    try {
      // The rank the subscriber is taken to know: the one last delivered, or the one it had when
      // it subscribed (a change between then and now comes first); else the one now.
      const known =
        resumeAfter !== undefined
          ? parseRank(resumeAfter)
          : since && (await this.rankSince(competitionId, me, since));
      lastSent = known === undefined ? watcher.rank : known;
    } catch (error) {
      this.unwatch(competitionId, board, watcher);
      throw error;
    }
    const event = (): RankEvent | null => {
      if (watcher.rank === lastSent) return null;
      const previousRank = lastSent;
      lastSent = watcher.rank;
      return {
        competition,
        competitionId,
        userId: me,
        rank: watcher.rank,
        previousRank,
        scoreMilli: watcher.scoreMilli,
        position: String(watcher.rank ?? 0),
      };
    };
    const iterator: AsyncIterableIterator<RankEvent> = {
      next: async () => {
        // Changes that came while the last event was on its way are told as one.
        for (;;) {
          if (watcher.ended) return { done: true, value: undefined };
          const next = event();
          if (next) return { done: false, value: next };
          await watcher.next();
        }
      },
      return: async () => {
        this.unwatch(competitionId, board, watcher);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** A watcher of `userId`'s standing, on this process's watchers of the board. */
  private async watch(
    competitionId: string,
    userId: string,
  ): Promise<{ board: RankWatchers; watcher: RankWatcher }> {
    for (;;) {
      let entry = this.rankWatchers.get(competitionId);
      if (!entry) {
        const made: BoardWatchersEntry = {
          ready: this.subscribe(competitionId).then(
            (changes) =>
              (made.board = new RankWatchers(changes, (id) =>
                this.deps.index.standing(competitionId, id),
              )),
          ),
        };
        entry = made;
        this.rankWatchers.set(competitionId, entry);
        made.ready.catch(() => {
          if (this.rankWatchers.get(competitionId) === made)
            this.rankWatchers.delete(competitionId);
        });
      }
      const board = await entry.ready;
      // The last watcher may have left meanwhile: then it stopped, and another follows.
      if (board.closed) continue;
      return { board, watcher: await board.add(userId) };
    }
  }

  private unwatch(competitionId: string, board: RankWatchers, watcher: RankWatcher): void {
    board.remove(watcher);
    if (board.size > 0) return;
    board.close();
    if (this.rankWatchers.get(competitionId)?.board === board)
      this.rankWatchers.delete(competitionId);
  }

  /** `userId`'s rank at `instant`; undefined when the board's log does not reach back to it. */
  private async rankSince(
    competitionId: string,
    userId: string,
    instant: Date,
  ): Promise<number | null | undefined> {
    const at = await this.deps.index.seqAt(competitionId, instant);
    return at === null ? undefined : this.deps.index.rankAt(competitionId, userId, at);
  }

  /**
   * Changes in a competition's top `top`: an entry inside it that changes rank or score, enters
   * or leaves it. A board change concerns the top only when the mover's place before or after is
   * inside it; then the top is read again (at most `top` entries, never the whole board) and
   * compared with what this subscriber was told.
   *
   * Each event's position says what the subscriber had been told once it got the event (see
   * {@link TopPosition}), so a subscription resumed there, by any replica, continues every
   * entry's chain: the board's log of recent moves rebuilds the top as it was then.
   *
   * Without a position but with `since` (when the client subscribed, less a margin), it starts
   * from the top as it was then, so a change made while the subscription was on its way comes
   * first.
   *
   * @throws NOT_FOUND for an unknown competition, BAD_USER_INPUT on `top` outside 1..1000.
   */
  async leaderboard(
    competitionId: string,
    top: number | null | undefined,
    resumeAfter: string | undefined,
    since?: Date,
  ): Promise<AsyncIterableIterator<RankEvent>> {
    const size = top ?? DEFAULT_TOP;
    if (!Number.isInteger(size) || size < 1 || size > MAX_TOP) {
      throw badUserInput("top", `top must be between 1 and ${MAX_TOP}`);
    }
    const competition = await this.deps.competitions.require(competitionId);
    const changes = await this.subscribe(competitionId);
    const { index } = this.deps;
    let seq = 0;
    let view = new Map<string, BoardEntry>();
    /** The read `view` was made from (shared by the process's watchers of this top). */
    let viewRead: object = {};
    /** What this subscriber was last told of each person in its top, as of board number `toldAt`. */
    let told = new Map<string, Told>();
    let toldAt: number | null = null;
    let dirty = false;
    const unshare = this.share(competitionId, size);
    const read = async (force: boolean) => {
      // A reset (a rebuilt board) restarts the numbering: only a read made now will do.
      const snapshot = force
        ? await index.top(competitionId, size)
        : await this.sharedTop(competitionId, size, seq);
      seq = snapshot.seq;
      view = new Map(snapshot.entries.map((entry) => [entry.userId, entry]));
      viewRead = snapshot;
    };
    await read(true);
    const resumed = resumeAfter === undefined ? undefined : parseTopPosition(resumeAfter);
    if (resumeAfter === undefined) {
      const at = since && (await index.seqAt(competitionId, since));
      const then = typeof at === "number" ? await index.topAt(competitionId, size, at) : null;
      told = then ? new Map(then.map((entry) => [entry.userId, entry])) : new Map(view);
      toldAt = then ? (at as number) : seq;
      dirty = then !== null;
    } else {
      // Resumed: what it was told then, if the board's log still reaches back; else it starts
      // afresh (every entry's chain restarts with a null previousRank). Catch up either way.
      const then = resumed && (await this.toldAt(competitionId, size, resumed));
      if (then) {
        told = then;
        toldAt = resumed.seq;
      }
      dirty = true;
    }

    const apply = async (batch: BoardChange[]) => {
      let reset = false;
      for (const change of batch) {
        const number = Number(change.seq);
        if (change.kind === "reset") reset = true;
        if (number <= seq && change.kind !== "reset") continue;
        if (
          change.kind === "reset" ||
          number !== seq + 1 ||
          (change.oldPos >= 0 && change.oldPos < size) ||
          (change.newPos >= 0 && change.newPos < size)
        ) {
          dirty = true;
        }
        seq = number;
      }
      if (dirty) await read(reset);
    };
    const events = async (): Promise<RankEvent[]> => {
      if (!dirty) return [];
      dirty = false;
      const steps = topSteps(told, view);
      const out: RankEvent[] = [];
      for (const [i, step] of steps.entries()) {
        // Those who left the top: where they stand now (null: they left the competition).
        const now = step.entry ?? (await this.departure(viewRead, competitionId, step.userId));
        out.push({
          competition,
          competitionId,
          userId: step.userId,
          rank: now?.rank ?? null,
          previousRank: told.get(step.userId)?.rank ?? null,
          scoreMilli: now?.scoreMilli ?? null,
          position: formatTopPosition(
            i === steps.length - 1 ? { seq } : { from: toldAt, seq, steps: i + 1 },
          ),
          ...(i === steps.length - 1 && {
            sharedState: this.topState(viewRead, competitionId, size, view),
          }),
        });
      }
      told = new Map(view);
      toldAt = seq;
      return out;
    };
    return coalesce(changes, apply, events, dirty, unshare);
  }

  /**
   * What a subscriber had been told at `position`: the top at its board number, or on the way
   * there, the top it started from with the first `steps` changes applied. Null when the board's
   * log no longer reaches back.
   */
  private async toldAt(
    competitionId: string,
    size: number,
    position: TopPosition,
  ): Promise<Map<string, Told> | null> {
    const { index } = this.deps;
    const asMap = (entries: BoardEntry[]) => new Map(entries.map((e) => [e.userId, e]));
    const at = await index.topAt(competitionId, size, position.seq);
    if (!at) return null;
    if (!("steps" in position)) return asMap(at);
    let from = new Map<string, Told>();
    if (position.from !== null) {
      const entries = await index.topAt(competitionId, size, position.from);
      if (!entries) return null;
      from = asMap(entries);
    }
    const target = asMap(at);
    for (const step of topSteps(from, target).slice(0, position.steps)) {
      if (step.entry) from.set(step.userId, step.entry);
      else from.delete(step.userId);
    }
    return from;
  }

  private async subscribe(competitionId: string): Promise<AsyncIterableIterator<BoardChange>> {
    return this.deps.live.subscribe<BoardChange>(rankChangedTopic(competitionId));
  }
}

/**
 * Emits the events of a feed: waits for board changes, applies every change already waiting at
 * once (a burst is coalesced), then emits what changed. With `startDirty`, first emits what
 * changed before any board change (a resumed subscription's catch-up).
 */
function coalesce(
  changes: AsyncIterableIterator<BoardChange>,
  apply: (batch: BoardChange[]) => Promise<void>,
  events: () => RankEvent[] | Promise<RankEvent[]>,
  startDirty: boolean,
  onEnd: () => void = () => {},
): AsyncIterableIterator<RankEvent> {
  const queue = changes as EventQueue<BoardChange>;
  const pending: RankEvent[] = [];
  let started = !startDirty;
  const iterator: AsyncIterableIterator<RankEvent> = {
    async next() {
      if (!started) {
        started = true;
        pending.push(...(await events()));
      }
      while (pending.length === 0) {
        const first = await changes.next();
        if (first.done) return { done: true, value: undefined };
        const batch = [first.value];
        while (queue instanceof EventQueue && queue.size > 0) {
          const more = await queue.next();
          if (more.done) break;
          batch.push(more.value);
        }
        await apply(batch);
        pending.push(...(await events()));
      }
      return { done: false, value: pending.shift()! };
    },
    async return() {
      onEnd();
      await changes.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** What a `leaderboardRankChanged` subscriber was told of one person. */
interface Told {
  rank: number;
  scoreMilli: bigint;
}

/**
 * One event of a top's update: a person in the new top whose rank or score differs from what
 * was told (`entry`), or one told of who left it (`entry` undefined).
 */
interface TopStep {
  userId: string;
  entry?: BoardEntry;
}

/**
 * The events that take a subscriber from `told` to the top `view`, in an order that depends only
 * on the two (the top's order, then those who left by user id), so a resumed subscription can
 * replay the first few of them exactly.
 */
function topSteps(told: Map<string, Told>, view: Map<string, BoardEntry>): TopStep[] {
  const steps: TopStep[] = [];
  for (const entry of view.values()) {
    const before = told.get(entry.userId);
    if (before && before.rank === entry.rank && before.scoreMilli === entry.scoreMilli) continue;
    steps.push({ userId: entry.userId, entry });
  }
  const left = [...told.keys()].filter((userId) => !view.has(userId)).sort();
  for (const userId of left) steps.push({ userId });
  return steps;
}

/**
 * Where a `leaderboardRankChanged` subscriber is: told the top at board number `seq` (the last
 * event of an update), or on the way from the top at `from` (null: nothing told) to the one at
 * `seq`, `steps` events into it. Written `seq`, or `from.seq.steps` with `-` for a null `from`.
 */
type TopPosition = { seq: number } | { from: number | null; seq: number; steps: number };

function formatTopPosition(position: TopPosition): string {
  if (!("steps" in position)) return String(position.seq);
  return `${position.from ?? "-"}.${position.seq}.${position.steps}`;
}

function parseTopPosition(text: string): TopPosition | null {
  const parts = text.split(".");
  const number = (part: string) => (/^\d{1,20}$/.test(part) ? Number(part) : null);
  if (parts.length === 1) {
    const seq = number(parts[0]!);
    return seq === null ? null : { seq };
  }
  if (parts.length !== 3) return null;
  const [from, seq, steps] = [
    parts[0] === "-" ? null : number(parts[0]!),
    number(parts[1]!),
    number(parts[2]!),
  ];
  if (seq === null || steps === null || steps < 1 || (from === null && parts[0] !== "-"))
    return null;
  return { from, seq, steps };
}

function parseRank(position: string): number | null | undefined {
  const rank = Number(position);
  if (!Number.isInteger(rank) || rank < 0) return undefined;
  return rank === 0 ? null : rank;
}
