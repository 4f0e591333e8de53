import { describe, expect, it } from "vitest";
import { replayThenLive } from "./replay-then-live.ts";

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

async function take(iterator: AsyncIterator<string>, count: number): Promise<string[]> {
  const items: string[] = [];
  while (items.length < count) {
    const result = await iterator.next();
    if (result.done) break;
    items.push(result.value);
  }
  return items;
}

describe("replayThenLive", () => {
  it("replays, then goes live without gap or duplicate", async () => {
    const live = fakeLive();
    const iterator = await replayThenLive({
      live: live.source,
      replay: async () => {
        live.log.push("replay");
        // Published while the replay is read: "m3" is in the replay too, "m4" is not.
        live.publish("m3");
        live.publish("m4");
        return ["m2", "m3"];
      },
      keyOf: (item) => item,
    });
    expect(live.log).toEqual(["replay"]);
    live.publish("m5");
    expect(await take(iterator, 3)).toEqual(["m2", "m3", "m4"]);
    expect(await take(iterator, 1)).toEqual(["m5"]);
    const pending = iterator.next();
    live.publish("m6");
    expect(await pending).toEqual({ value: "m6", done: false });
    await iterator.return!();
  });

  it("emits only the live items `include` accepts", async () => {
    const live = fakeLive();
    const iterator = await replayThenLive({
      live: live.source,
      replay: async () => [],
      keyOf: (item) => item,
      include: (item) => item.startsWith("a"),
    });
    for (const item of ["a1", "b1", "a2"]) live.publish(item);
    expect(await take(iterator, 2)).toEqual(["a1", "a2"]);
    await iterator.return!();
  });

  it("ends the live source on return, also while a next() is waiting", async () => {
    const live = fakeLive();
    const iterator = await replayThenLive({
      live: live.source,
      replay: async () => [],
      keyOf: (item) => item,
    });
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
        replay: () => Promise.reject(new Error("database down")),
        keyOf: (item) => item,
      }),
    ).rejects.toThrow("database down");
    expect(live.log).toContain("return");
  });
});
