export interface ReplayThenLiveOptions<Item> {
  /** The live source. Its first `next()` starts its subscription; `return()` ends it. */
  live: AsyncIterator<Item>;
  /** Resolves once the live source receives everything published from then on. */
  subscribed: () => Promise<void>;
  /** Reads what happened before: called once the live source is subscribed. */
  replay: () => Promise<Item[]>;
  /** Identifies an item, so one both replayed and heard live is emitted once. */
  keyOf: (item: Item) => string;
  /** Which live items to emit (replayed ones are emitted as read). */
  include?: (item: Item) => boolean;
}

const DONE = { value: undefined, done: true } as const;

/**
 * Replays what a subscriber missed, then continues live, with no gap and no duplicate: it
 * subscribes to the live source first and buffers what arrives, then reads the replay, emits it,
 * then the buffered and later live items, skipping those already replayed.
 *
 * `return()` ends the live subscription at once, even while waiting for the next item.
 *
 * @throws what `subscribed` or `replay` throw, after ending the live subscription.
 */
export async function replayThenLive<Item>({
  live,
  subscribed,
  replay,
  keyOf,
  include = () => true,
}: ReplayThenLiveOptions<Item>): Promise<AsyncIterableIterator<Item>> {
  const buffer: Item[] = [];
  let liveEnded = false;
  let liveFailure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  // Pulling starts the subscription and buffers from then on, while the replay is read.
  void (async () => {
    try {
      for (let result = await live.next(); !result.done; result = await live.next()) {
        buffer.push(result.value);
        notify();
      }
    } catch (error) {
      liveFailure = error;
    } finally {
      liveEnded = true;
      notify();
    }
  })();

  let pending: Item[];
  try {
    await subscribed();
    pending = await replay();
  } catch (error) {
    await live.return?.();
    throw error;
  }
  const replayed = new Set(pending.map(keyOf));
  let closed = false;

  const iterator: AsyncIterableIterator<Item> = {
    async next() {
      for (;;) {
        if (closed) return DONE;
        if (pending.length > 0) return { value: pending.shift()!, done: false };
        if (buffer.length > 0) {
          const item = buffer.shift()!;
          // Each message is published once, so a key matches at most one live item.
          if (!replayed.delete(keyOf(item)) && include(item)) return { value: item, done: false };
          continue;
        }
        if (liveEnded) {
          closed = true;
          if (liveFailure !== undefined) throw liveFailure;
          return DONE;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return() {
      closed = true;
      notify();
      await live.return?.();
      return DONE;
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
