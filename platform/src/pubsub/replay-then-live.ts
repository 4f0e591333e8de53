export interface ReplayThenLiveOptions<Item> {
  /**
   * The live source, already subscribed and buffering (what `LivePubSub.subscribe` resolves to),
   * so nothing published while the replay is read is lost. `return()` ends it.
   */
  live: AsyncIterator<Item>;
  /** Reads what happened before. */
  replay: () => Promise<Item[]>;
  /** Identifies an item, so one both replayed and heard live is emitted once. */
  keyOf: (item: Item) => string;
  /** Which live items to emit (replayed ones are emitted as read). */
  include?: (item: Item) => boolean;
}

/**
 * Replays what a subscriber missed, then continues live, with no gap and no duplicate: the live
 * source was subscribed before the replay is read, so everything after it is either in the
 * replay or buffered live; live items already replayed are skipped.
 *
 * `return()` ends the live subscription at once, even while waiting for the next item.
 *
 * @throws what `replay` throws, after ending the live subscription.
 */
export async function replayThenLive<Item>({
  live,
  replay,
  keyOf,
  include = () => true,
}: ReplayThenLiveOptions<Item>): Promise<AsyncIterableIterator<Item>> {
  let pending: Item[];
  try {
    pending = await replay();
  } catch (error) {
    await live.return?.();
    throw error;
  }
  const replayed = new Set(pending.map(keyOf));
  const iterator: AsyncIterableIterator<Item> = {
    async next() {
      const replayedItem = pending.shift();
      if (replayedItem !== undefined) return { value: replayedItem, done: false };
      for (;;) {
        const result = await live.next();
        if (result.done) return result;
        // Each message is published once, so a key matches at most one live item.
        if (!replayed.delete(keyOf(result.value)) && include(result.value)) return result;
      }
    },
    async return() {
      pending = [];
      return (await live.return?.()) ?? { value: undefined, done: true };
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
