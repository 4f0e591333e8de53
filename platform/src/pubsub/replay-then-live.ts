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
}

/** Remembers what a replay emitted, to tell a live item it emitted already. */
export interface ReplayMemory<Item> {
  /** Called with each replayed item as it is emitted. */
  remember(item: Item): void;
  /** Whether live `item` was emitted by the replay (and is skipped). */
  replayed(item: Item): boolean;
}

/**
 * Remembers each replayed item by key until its live copy arrives. It holds every replayed key
 * for the subscription's life, so it suits replays bounded by the data (a person's current
 * matches), not by how long the subscriber was away.
 */
export function rememberKeys<Item>(keyOf: (item: Item) => string): ReplayMemory<Item> {
  const keys = new Set<string>();
  return {
    remember: (item) => void keys.add(keyOf(item)),
    // Each item is published once, so a key matches at most one live item.
    replayed: (item) => keys.delete(keyOf(item)),
  };
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
}: ReplayThenLiveOptions<Item>): Promise<AsyncIterableIterator<Item>> {
  let page: Item[] = [];
  let index = 0;
  let last: Item | undefined;
  let morePages = true;
  let closed = false;
  const readPage = async () => {
    try {
      page = await replayPage(last);
    } catch (error) {
      await live.return?.();
      throw error;
    }
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
          memory.remember(item);
          return { value: item, done: false };
        }
        if (!morePages) break;
        await readPage();
      }
      for (;;) {
        const result = await live.next();
        if (result.done) return result;
        if (!memory.replayed(result.value) && include(result.value)) return result;
      }
    },
    async return() {
      closed = true;
      page = [];
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
