import { describe, expect, it } from "vitest";
import { replayNumbered, replayThenLive, type ReplayMemory } from "./replay-then-live.ts";

/** A live source fed by hand, recording what was done to it. */
function fakeLive() {
  const log: string[] = [];
  const queued: string[] = [];
  let waiting: ((result: IteratorResult<string>) => void) | undefined;
  let ended = false;
  const source: AsyncIterator<string> = {
    next() {
      log.push("next");
      if (queued.length > 0) return Promise.resolve({ value: queued.shift()!, done: false });
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    async return() {
      log.push("return");
      ended = true;
      waiting?.({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
  };
  const publish = (item: string) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: item, done: false });
    } else queued.push(item);
  };
  return { source, publish, log };
}

/** Remembers replayed items by their own value. */
function byValue(): ReplayMemory<string> {
  const replayed = new Set<string>();
  return {
    remember: (item) => void replayed.add(item),
    replayed: (item) => replayed.has(item),
  };
}

/** Live items only: nothing to replay. */
function withoutReplay(live: ReturnType<typeof fakeLive>, include?: (item: string) => boolean) {
  return replayThenLive({
    live: live.source,
    replayPage: async () => [],
    pageSize: 10,
    memory: byValue(),
    include,
  });
}

async function take(iterator: AsyncIterator<string>, count: number): Promise<string[]> {
  const items: string[] = [];
  while (items.length < count) {
    const result = await iterator.next();
    if (result.done) break;
    items.push(result.value);
  }
  return items;
}

/** A waiting `next()` gets `item` once it is published; then the stream is ended. */
async function expectGoingLive(
  iterator: AsyncIterator<string>,
  live: ReturnType<typeof fakeLive>,
  item: string,
): Promise<void> {
  const pending = iterator.next();
  live.publish(item);
  expect(await pending).toEqual({ value: item, done: false });
  await iterator.return!();
}

describe("replayThenLive", () => {
  it("replays, then goes live without gap or duplicate", async () => {
    const live = fakeLive();
    const iterator = await replayThenLive({
      live: live.source,
      replayPage: async () => {
        live.log.push("replay");
        // Published while the replay is read: "m3" is in the replay too, "m4" is not.
        live.publish("m3");
        live.publish("m4");
        return ["m2", "m3"];
      },
      pageSize: 10,
      memory: byValue(),
    });
    expect(live.log).toEqual(["replay"]);
    live.publish("m5");
    expect(await take(iterator, 3)).toEqual(["m2", "m3", "m4"]);
    expect(await take(iterator, 1)).toEqual(["m5"]);
    await expectGoingLive(iterator, live, "m6");
  });

  it("emits only the live items `include` accepts", async () => {
    const live = fakeLive();
    const iterator = await withoutReplay(live, (item) => item.startsWith("a"));
    for (const item of ["a1", "b1", "a2"]) live.publish(item);
    expect(await take(iterator, 2)).toEqual(["a1", "a2"]);
    await iterator.return!();
  });

  it("ends the live source on return, also while a next() is waiting", async () => {
    const live = fakeLive();
    const iterator = await withoutReplay(live);
    const waiting = iterator.next();
    expect(await iterator.return!()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(live.log).toContain("return");
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("ends the live source when the replay fails", async () => {
    const live = fakeLive();
    await expect(
      replayThenLive({
        live: live.source,
        replayPage: () => Promise.reject(new Error("database down")),
        pageSize: 10,
        memory: byValue(),
      }),
    ).rejects.toThrow("database down");
    expect(live.log).toContain("return");
  });

  it("reads each page after the last item replayed, once the one before is emitted", async () => {
    const live = fakeLive();
    const history = ["m1", "m2", "m3", "m4", "m5"];
    const reads: (string | undefined)[] = [];
    const iterator = await replayThenLive({
      live: live.source,
      replayPage: async (last) => {
        reads.push(last);
        const start = last === undefined ? 0 : history.indexOf(last) + 1;
        return history.slice(start, start + 2);
      },
      pageSize: 2,
      memory: byValue(),
    });
    expect(reads).toEqual([undefined]);
    expect(await take(iterator, 2)).toEqual(["m1", "m2"]);
    expect(reads).toEqual([undefined]);
    // Live copies of replayed items, from any page, are skipped.
    for (const item of ["m2", "m5", "m6"]) live.publish(item);
    expect(await take(iterator, 4)).toEqual(["m3", "m4", "m5", "m6"]);
    // The third page was short: the replay ended there.
    expect(reads).toEqual([undefined, "m2", "m4"]);
    await iterator.return!();
  });

  it("ends the live source and the stream when a later page fails", async () => {
    const live = fakeLive();
    const iterator = await replayThenLive({
      live: live.source,
      replayPage: async (last) => {
        if (last) throw new Error("database down");
        return ["m1"];
      },
      pageSize: 1,
      memory: byValue(),
    });
    expect(await take(iterator, 1)).toEqual(["m1"]);
    await expect(iterator.next()).rejects.toThrow("database down");
    expect(live.log).toContain("return");
  });

  it("emits nothing more once returned while a page is being read", async () => {
    const live = fakeLive();
    let release: (() => void) | undefined;
    const iterator = await replayThenLive({
      live: live.source,
      replayPage: async (last) => {
        if (last) await new Promise<void>((resolve) => (release = resolve));
        return ["m1"];
      },
      pageSize: 1,
      memory: byValue(),
    });
    expect(await take(iterator, 1)).toEqual(["m1"]);
    const reading = iterator.next();
    await iterator.return!();
    release!();
    expect(await reading).toEqual({ value: undefined, done: true });
  });

  describe("with catchUp", () => {
    /**
     * Items "1", "2", ... committed in that order to a store, emitted in order: a live item
     * ahead of others catches them up from the store, and their late live copies are skipped.
     */
    function inOrder(live: ReturnType<typeof fakeLive>, committed: string[]) {
      let highest = 0;
      return replayThenLive<string>({
        live: live.source,
        replayPage: async () => [],
        pageSize: 10,
        memory: {
          remember: (item) => void (highest = Math.max(highest, Number(item))),
          replayed: (item) => Number(item) <= highest,
        },
        catchUp: async (item) =>
          Number(item) > highest + 1 ? committed.slice(highest, Number(item) - 1) : [],
      });
    }

    it("emits what a live item arrived ahead of first, and skips its late live copies", async () => {
      const live = fakeLive();
      const iterator = await inOrder(live, ["1", "2", "3", "4", "5"]);
      for (const item of ["1", "4", "2", "3", "5"]) live.publish(item);
      expect(await take(iterator, 5)).toEqual(["1", "2", "3", "4", "5"]);
      await expectGoingLive(iterator, live, "6");
    });

    it("ends the live source and the stream when a catch-up fails", async () => {
      const live = fakeLive();
      const iterator = await replayThenLive<string>({
        live: live.source,
        replayPage: async () => [],
        pageSize: 10,
        memory: byValue(),
        catchUp: () => Promise.reject(new Error("database down")),
      });
      live.publish("1");
      await expect(iterator.next()).rejects.toThrow("database down");
      expect(live.log).toContain("return");
    });

    it("emits nothing more once returned while catching up", async () => {
      const live = fakeLive();
      let release: (() => void) | undefined;
      const iterator = await replayThenLive<string>({
        live: live.source,
        replayPage: async () => [],
        pageSize: 10,
        memory: byValue(),
        catchUp: async () => {
          await new Promise<void>((resolve) => (release = resolve));
          return ["0"];
        },
      });
      live.publish("1");
      const reading = iterator.next();
      await new Promise((resolve) => setImmediate(resolve));
      await iterator.return!();
      release!();
      expect(await reading).toEqual({ value: undefined, done: true });
    });
  });

  describe("replayNumbered", () => {
    /**
     * Items numbered 1, 2, ... as committed to a store (`commit` adds up to a number); `after`
     * reads the store, two at a time.
     */
    function numbered(live: ReturnType<typeof fakeLive>, committed: number, start: number) {
      const reads: number[] = [];
      const iterator = replayNumbered<string>({
        live: live.source,
        start: BigInt(start),
        lastMade: async () => BigInt(committed),
        numberOf: (item) => BigInt(item),
        after: async (last) => {
          reads.push(Number(last));
          const next = Array.from({ length: committed }, (_, index) => String(index + 1));
          return next.slice(Number(last), Number(last) + 2);
        },
        pageSize: 2,
      });
      const commit = (upTo: number) => (committed = upTo);
      return { iterator, reads, commit };
    }

    it("replays after the start, then emits live items in number order, each once", async () => {
      const live = fakeLive();
      const { iterator, reads } = numbered(live, 5, 1);
      // 4 and 5 committed while the replay was read: heard live too.
      for (const item of ["5", "4", "6"]) live.publish(item);
      expect(await take(await iterator, 5)).toEqual(["2", "3", "4", "5", "6"]);
      expect(reads).toEqual([1, 3, 5]);
      await expectGoingLive(await iterator, live, "7");
    });

    it("going live, emits what was made after its start before it subscribed, unheard", async () => {
      const live = fakeLive();
      // 2 committed (and published to nobody) between the read of the start and the subscription.
      const { iterator, reads } = numbered(live, 2, 1);
      expect(await take(await iterator, 1)).toEqual(["2"]);
      expect(reads).toEqual([1]);
      await expectGoingLive(await iterator, live, "3");
    });

    it("going live with nothing made since the start, reads no page, then catches up what a live item overtook", async () => {
      const live = fakeLive();
      const { iterator, reads, commit } = numbered(live, 1, 1);
      await iterator;
      expect(reads).toEqual([]);
      // 4 arrives before 2 and 3, which are read from the store; their late copies are skipped.
      commit(4);
      for (const item of ["4", "2", "3"]) live.publish(item);
      expect(await take(await iterator, 3)).toEqual(["2", "3", "4"]);
      expect(reads).toEqual([1]);
      await expectGoingLive(await iterator, live, "5");
    });
  });
});
