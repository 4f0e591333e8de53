export interface ReplayThenLiveOptions<Item> {
  /**
   * The live source, already subscribed and buffering (what `LivePubSub.subscribe` resolves to),
   * so nothing published while the replay is read is lost. `return()` ends it.
   */
  live: AsyncIterator<Item>;
  /**
   * Reads the next page of what happened before, in order: at most `pageSize` items after
   * `last`, the last item replayed (undefined for the first page). A shorter page is the last.
   * Each page is read once the previous one has been emitted, so a long replay holds one page.
   */
  replayPage: (last: Item | undefined) => Promise<Item[]>;
  pageSize: number;
  /** What the replay emitted, so that a live item it already emitted is skipped. */
  memory: ReplayMemory<Item>;
  /** Which live items to emit (replayed ones are emitted as read). */
  include?: (item: Item) => boolean;
  /**
   * For a live source that may deliver items out of their order (publishers racing after their
   * commits): what must be emitted before live `item`, read from where the replay reads, or
   * nothing. Called for each live item about to be emitted; what it answers is emitted first
   * and remembered like replayed items, then `item` unless the memory now holds it. With it,
   * emitted live items are remembered too. A failure ends the stream with that error. It
   * answers at once (an array, not a promise) when nothing is missing, as for nearly every
   * item: no promise per live item.
   */
  catchUp?: (item: Item) => Item[] | Promise<Item[]>;
}

/** Remembers what a replay emitted, to tell a live item it emitted already. */
export interface ReplayMemory<Item> {
  /**
   * Called with each item read from the replay (a page, or a catch-up) as it is emitted, and,
   * with `catchUp`, with each live item emitted.
   */
  remember(item: Item, from: "replay" | "live"): void;
  /** Whether live `item` was emitted by the replay (and is skipped). */
  replayed(item: Item): boolean;
}

/**
 * Replays what a subscriber missed, page by page, then continues live, with no gap and no
 * duplicate: the live source was subscribed before the replay is read, so everything after it
 * is either in the replay or buffered live; live items already replayed are skipped.
 *
 * The first page is read before this resolves, so a replay that cannot start fails the
 * subscription; a later page that fails ends it with that error. `return()` ends the live
 * subscription at once, even while waiting for the next item.
 *
 * @throws what `replayPage` throws, after ending the live subscription.
 */
export async function replayThenLive<Item>({
  live,
  replayPage,
  pageSize,
  memory,
  include = () => true,
  catchUp,
}: ReplayThenLiveOptions<Item>): Promise<AsyncIterableIterator<Item>> {
  let page: Item[] = [];
  /** A live item waiting for what its catch-up read to be emitted first. */
  let held: Item | undefined;
  let index = 0;
  let last: Item | undefined;
  let morePages = true;
  let closed = false;
  /** Ends the live source, then fails the stream with what a read from the source threw. */
  const failed = async (error: unknown): Promise<never> => {
    await live.return?.();
    throw error;
  };
  const readPage = async () => {
    page = await replayPage(last).catch(failed);
    index = 0;
    morePages = page.length >= pageSize;
  };
  const finished = (): IteratorResult<Item> => ({ value: undefined, done: true });
  await readPage();
  const iterator: AsyncIterableIterator<Item> = {
    async next() {
      for (;;) {
        if (closed) return finished();
        if (index < page.length) {
          const item = page[index]!;
          index += 1;
          last = item;
          memory.remember(item, "replay");
          return { value: item, done: false };
        }
        if (morePages) {
          await readPage();
          continue;
        }
        let item = held;
        held = undefined;
        if (item === undefined) {
          const result = await live.next();
          if (result.done) return result;
          item = result.value;
        }
        if (memory.replayed(item) || !include(item)) continue;
        if (catchUp) {
          const caught = catchUp(item);
          const before = Array.isArray(caught) ? caught : await caught.catch(failed);
          if (closed) return finished();
          if (before.length > 0) {
            // Emitted first; then the live item is looked at again.
            page = before;
            index = 0;
            held = item;
            continue;
          }
          memory.remember(item, "live");
        }
        return { value: item, done: false };
      }
    },
    async return() {
      closed = true;
      page = [];
      held = undefined;
      return (await live.return?.()) ?? finished();
    },
    async throw(error?: unknown) {
      await iterator.return!();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * The number of the last item a subscription emitted (or of where it started), for items
 * numbered from 1 without holes in commit order: a counter per stream, taken under a row lock
 * held until the item commits. An item at or below it was emitted already; one past the next
 * number arrived ahead of others, which have committed. Constant memory, however long it runs.
 */
class LastNumberEmitted<Item> implements ReplayMemory<Item> {
  constructor(
    public last: bigint,
    private readonly numberOf: (item: Item) => bigint,
  ) {}

  remember(item: Item): void {
    const number = this.numberOf(item);
    if (number > this.last) this.last = number;
  }

  replayed(item: Item): boolean {
    return this.numberOf(item) <= this.last;
  }

  /** Whether items numbered between the last emitted and `item` were not emitted yet. */
  isAheadOf(item: Item): boolean {
    return this.numberOf(item) > this.last + 1n;
  }
}

export interface NumberedReplayOptions<Item> {
  /** As for `replayThenLive`: subscribed and buffering. */
  live: AsyncIterator<Item>;
  /**
   * Where the subscriber starts: the number of the last item it has, or, to go live, of the
   * last one made, read before subscribing `live`. What follows it is read once `live` is
   * subscribed: a resumed subscriber's backlog, or, going live, what was made between the two,
   * whose live copies may have been published before the subscription took.
   */
  start: bigint;
  /**
   * The number of the last item made (committed), read once `live` is subscribed: only when it
   * is past `start` are pages read with `after`. Nearly always, nothing was made since: one
   * cheap read instead of a page.
   */
  lastMade: () => Promise<bigint>;
  numberOf: (item: Item) => bigint;
  /**
   * Up to `pageSize` items numbered after `last`, in order; it may leave out some no longer
   * shown (their numbers are then simply passed over).
   */
  after: (last: bigint) => Promise<Item[]>;
  pageSize: number;
  include?: (item: Item) => boolean;
}

/** What a live item that is next in line needs emitted before it: one array for all of them. */
const NOTHING_MISSED: never[] = [];

/**
 * `replayThenLive` for numbered items (see {@link LastNumberEmitted}), emitted in number order
 * with no gap and no duplicate: a live item past the next number makes the items between be
 * read with `after` and emitted first, so a subscriber that resumes after the last item it got
 * (by its number) misses nothing, whichever order publishers racing after their commits
 * delivered them in.
 *
 * @throws what the first page throws, after ending the live subscription.
 */
export function replayNumbered<Item>({
  live,
  start,
  lastMade,
  numberOf,
  after,
  pageSize,
  include,
}: NumberedReplayOptions<Item>): Promise<AsyncIterableIterator<Item>> {
  const emitted = new LastNumberEmitted(start, numberOf);
  let firstPage = true;
  return replayThenLive({
    live,
    replayPage: async () => {
      if (firstPage) {
        firstPage = false;
        if ((await lastMade()) <= start) return [];
      }
      return after(emitted.last);
    },
    pageSize,
    memory: emitted,
    include,
    catchUp: (item) => (emitted.isAheadOf(item) ? after(emitted.last) : NOTHING_MISSED),
  });
}
