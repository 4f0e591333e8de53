export interface NumberedReplayOptions<Item> {
  /**
   * The live source, already subscribed and buffering (what `LivePubSub.subscribe` resolves to),
   * so nothing published while the replay is read is lost. `return()` ends it.
   */
  live: AsyncIterator<Item>;
  /**
   * Where the subscriber starts: the number of the last item it has, of the last one made before
   * it asked (the gateway's `subscribedAt`), or, to go live, of the last one made, read before
   * subscribing `live`. What follows it is read once `live` is
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
  /** Which live items to emit (items read with `after` are emitted as read). */
  include?: (item: Item) => boolean;
}

/**
 * Replays what a subscriber missed, page by page, then continues live, in number order with no
 * gap and no duplicate. Items are numbered from 1 without holes in commit order (a counter per
 * stream, taken under a row lock held until the item commits), so one number, the last emitted,
 * is all it keeps, however long it runs:
 *
 * - pages are read with `after` from the last number emitted, each once the previous one was
 *   emitted, so a long backlog holds one page;
 * - a live item at or below the last number was emitted already, and is skipped;
 * - a live item past the next number arrived ahead of others (publishers race after their
 *   commits), which have committed: they are read with `after` and emitted first. So a
 *   subscriber that resumes after the last item it got (by its number) misses nothing.
 *
 * The first page is read before this resolves, so a replay that cannot start fails the
 * subscription; a later read that fails ends the stream with that error. `return()` ends the
 * live subscription at once, even while waiting for the next item.
 *
 * @throws what `lastMade` or the first page throws, after ending the live subscription.
 */
export async function replayNumbered<Item>({
  live,
  start,
  lastMade,
  numberOf,
  after,
  pageSize,
  include = () => true,
}: NumberedReplayOptions<Item>): Promise<AsyncIterableIterator<Item>> {
  let last = start;
  /** Items read with `after`, emitted before anything live. */
  let page: Item[] = [];
  let index = 0;
  /** Whether the replay goes on past `page`: the last page read was full. */
  let morePages = false;
  /** A live item waiting for the items before it, just read, to be emitted first. */
  let held: Item | undefined;
  let closed = false;
  const finished = (): IteratorResult<Item> => ({ value: undefined, done: true });
  /** What `read` resolves to, or else the live source is ended and the stream fails with it. */
  const orEnd = async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      await live.return?.();
      throw error;
    }
  };
  const readPage = async () => {
    page = await orEnd(() => after(last));
    index = 0;
  };
  if ((await orEnd(lastMade)) > start) {
    await readPage();
    morePages = page.length >= pageSize;
  }
  // Not an async generator: its return() would wait behind a next() waiting on `live`.
  const iterator: AsyncIterableIterator<Item> = {
    async next() {
      for (;;) {
        // Checked after every await: return() may have been called meanwhile.
        if (closed) return finished();
        if (index < page.length) {
          const item = page[index]!;
          index += 1;
          last = numberOf(item);
          return { value: item, done: false };
        }
        if (morePages) {
          await readPage();
          morePages = page.length >= pageSize;
          continue;
        }
        let item = held;
        held = undefined;
        if (item === undefined) {
          const result = await live.next();
          if (result.done) return result;
          item = result.value;
        }
        if (!include(item)) continue;
        const number = numberOf(item);
        if (number <= last) continue;
        if (number > last + 1n) {
          await readPage();
          if (closed) return finished();
          // Then the item is looked at again: it may have been read, or still be ahead.
          if (page.length > 0) {
            held = item;
            continue;
          }
        }
        last = number;
        return { value: item, done: false };
      }
    },
    async return() {
      closed = true;
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
