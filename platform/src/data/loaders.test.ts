import DataLoader from "dataloader";
import { describe, expect, it } from "vitest";
import { clearMadeLoaders, lazyLoaders } from "./loaders.ts";

describe("lazyLoaders", () => {
  const counting = () => {
    const made: string[] = [];
    const batches: string[][] = [];
    const factory = (name: string) => () => {
      made.push(name);
      return new DataLoader<string, string>(async (keys) => {
        batches.push([...keys]);
        return keys.map((key) => `${name}:${key}`);
      });
    };
    return { made, batches, loaders: lazyLoaders({ a: factory("a"), b: factory("b") }) };
  };

  it("makes each loader on first use, once", async () => {
    const { made, loaders } = counting();
    expect(made).toEqual([]);
    expect(await loaders.a.load("1")).toBe("a:1");
    expect(await loaders.a.load("2")).toBe("a:2");
    expect(made).toEqual(["a"]);
    expect(Object.keys(loaders)).toEqual(["a", "b"]);
  });

  it("clears what the made loaders cached, without making the others", async () => {
    const { made, batches, loaders } = counting();
    await loaders.a.load("1");
    clearMadeLoaders(loaders);
    expect(made).toEqual(["a"]);
    await loaders.a.load("1");
    expect(batches).toEqual([["1"], ["1"]]);
  });
});
