import { describe, expect, it } from "vitest";
import { replayNumbered, type NumberedReplayOptions } from "./replay-numbered.ts";

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
  const publish = (...items: string[]) => {
    for (const item of items) {
      const resolve = waiting;
      waiting = undefined;
      if (resolve) resolve({ value: item, done: false });
      else queued.push(item);
    }
  };
  return { source, publish, log };
}

/** A promise settled by hand. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** An `after` that, once started, waits to be released before answering `items`. */
function slowRead(items: string[]) {
  const started = deferred();
  const release = deferred();
  const read = async () => {
    started.resolve();
    await release.promise;
    return items;
  };
  return { started, release, read };
}

/**
 * Replays items "1", "2", ... of which `store.made` are made, two a page, from `start`; `reads`
 * holds what each `after` read after. An item's number is its digits: "x5" is numbered 5.
 */
function subscribe(
  live: ReturnType<typeof fakeLive>,
  made: number,
  start: number,
  options: Partial<NumberedReplayOptions<string>> = {},
) {
  const store = { made };
  const reads: number[] = [];
  const iterator = replayNumbered<string>({
    live: live.source,
    start: BigInt(start),
    lastMade: async () => BigInt(store.made),
    numberOf: (item) => BigInt(item.replace(/\D/g, "")),
    after: async (last) => {
      reads.push(Number(last));
      return Array.from({ length: store.made }, (_, index) => String(index + 1)).slice(
        Number(last),
        Number(last) + 2,
      );
    },
    pageSize: 2,
    ...options,
  });
  return { iterator, reads, store };
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

const databaseDown = () => Promise.reject(new Error("database down"));

describe("replayNumbered", () => {
  it("reads the first page before it resolves, then goes live without gap or duplicate", async () => {
    const live = fakeLive();
    // 2 and 3 made after the start; 3 and 4 heard live while the first page is read.
    live.publish("3", "4");
    const { iterator, reads } = subscribe(live, 3, 1);
    await iterator;
    expect(reads).toEqual([1]);
    expect(live.log).toEqual([]);
    live.publish("5");
    expect(await take(await iterator, 4)).toEqual(["2", "3", "4", "5"]);
    expect(reads).toEqual([1, 3]);
    await expectGoingLive(await iterator, live, "6");
  });

  it.each(["lastMade", "after"])(
    "ends the live source and rejects when the first %s fails",
    async (read) => {
      const live = fakeLive();
      const { iterator } = subscribe(live, 3, 0, { [read]: databaseDown });
      await expect(iterator).rejects.toThrow("database down");
      expect(live.log).toEqual(["return"]);
    },
  );

  it("going live with nothing made since the start, reads no page", async () => {
    const live = fakeLive();
    const { iterator, reads } = subscribe(live, 1, 1);
    await iterator;
    expect(reads).toEqual([]);
    await expectGoingLive(await iterator, live, "2");
  });

  it("reads each page after the last number emitted, once the one before is emitted", async () => {
    const live = fakeLive();
    const { iterator, reads } = subscribe(live, 5, 0);
    expect(await take(await iterator, 2)).toEqual(["1", "2"]);
    expect(reads).toEqual([0]);
    // Live copies of items of any page are skipped.
    live.publish("2", "5", "6");
    expect(await take(await iterator, 4)).toEqual(["3", "4", "5", "6"]);
    // The third page was short: the replay ended there.
    expect(reads).toEqual([0, 2, 4]);
    await (
      await iterator
    ).return!();
  });

  it("skips live items at or below the last number emitted", async () => {
    const live = fakeLive();
    const { iterator } = subscribe(live, 3, 1);
    live.publish("1", "3", "4", "4", "2", "5");
    expect(await take(await iterator, 4)).toEqual(["2", "3", "4", "5"]);
    await expectGoingLive(await iterator, live, "6");
  });

  it("emits only the live items `include` accepts", async () => {
    const live = fakeLive();
    const { iterator, reads } = subscribe(live, 0, 0, { include: (item) => !item.startsWith("x") });
    // Items of another stream, numbered their own way.
    live.publish("1", "x5", "2", "x1");
    expect(await take(await iterator, 2)).toEqual(["1", "2"]);
    expect(reads).toEqual([]);
    await expectGoingLive(await iterator, live, "3");
  });

  it("emits what a live item overtook first, read after the last number, then the item unless read", async () => {
    const live = fakeLive();
    const { iterator, reads, store } = subscribe(live, 0, 0);
    await iterator;
    store.made = 4;
    // 2 is read with 1, so not emitted again; 3 is read before 4, which is emitted live.
    live.publish("2", "4", "1", "3");
    expect(await take(await iterator, 4)).toEqual(["1", "2", "3", "4"]);
    expect(reads).toEqual([0, 2]);
    // 5 and 6 are no longer shown: passed over.
    live.publish("7");
    expect(await take(await iterator, 1)).toEqual(["7"]);
    expect(reads).toEqual([0, 2, 4]);
    await expectGoingLive(await iterator, live, "8");
  });

  it("reads nothing for live items next in line", async () => {
    const live = fakeLive();
    const { iterator, reads } = subscribe(live, 0, 0);
    live.publish("1", "2", "3");
    expect(await take(await iterator, 3)).toEqual(["1", "2", "3"]);
    expect(reads).toEqual([]);
    await (
      await iterator
    ).return!();
  });

  it("ends the live source on return, also while a next() is waiting", async () => {
    const live = fakeLive();
    const iterator = await subscribe(live, 0, 0).iterator;
    const waiting = iterator.next();
    expect(await iterator.return!()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(live.log).toContain("return");
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it("emits nothing more once returned while a page is read", async () => {
    const live = fakeLive();
    const slow = slowRead(["3"]);
    const iterator = await subscribe(live, 3, 0, {
      after: async (last) => (last === 0n ? ["1", "2"] : slow.read()),
    }).iterator;
    expect(await take(iterator, 2)).toEqual(["1", "2"]);
    const next = iterator.next();
    await slow.started.promise;
    await iterator.return!();
    slow.release.resolve();
    expect(await next).toEqual({ value: undefined, done: true });
  });

  it("emits nothing more once returned while catching up", async () => {
    const live = fakeLive();
    // Nothing to catch up: "2" would be emitted next.
    const slow = slowRead([]);
    const iterator = await subscribe(live, 0, 0, { after: slow.read }).iterator;
    live.publish("2");
    const next = iterator.next();
    await slow.started.promise;
    await iterator.return!();
    slow.release.resolve();
    expect(await next).toEqual({ value: undefined, done: true });
  });

  it("ends the live source and the stream when a later page fails", async () => {
    const live = fakeLive();
    const iterator = await subscribe(live, 3, 0, {
      after: async (last) => (last === 0n ? ["1", "2"] : databaseDown()),
    }).iterator;
    expect(await take(iterator, 2)).toEqual(["1", "2"]);
    await expect(iterator.next()).rejects.toThrow("database down");
    expect(live.log).toContain("return");
  });

  it("ends the live source and the stream when a catch-up fails", async () => {
    const live = fakeLive();
    const iterator = await subscribe(live, 0, 0, { after: databaseDown }).iterator;
    live.publish("2");
    await expect(iterator.next()).rejects.toThrow("database down");
    expect(live.log).toContain("return");
  });
});
