import DataLoader from "dataloader";
import { describe, expect, it } from "vitest";
import { clearMadeLoaders, defineLoaders } from "./loaders.ts";

describe("defineLoaders", () => {
  const counting = () => {
    const made: string[] = [];
    const batches: string[][] = [];
    const factory =
      (name: string) =>
      ({ prefix }: { prefix: string }) => {
        made.push(name);
        return new DataLoader<string, string>(async (keys) => {
          batches.push([...keys]);
          return keys.map((key) => `${prefix}${name}:${key}`);
        });
      };
    const makeLoaders = defineLoaders({ a: factory("a"), b: factory("b") });
    return { made, batches, makeLoaders, loaders: makeLoaders({ prefix: ">" }) };
  };

  it("makes each loader on first use, once per instance, from that instance's deps", async () => {
    const { made, makeLoaders, loaders } = counting();
    expect(made).toEqual([]);
    expect(await loaders.a.load("1")).toBe(">a:1");
    expect(await loaders.a.load("2")).toBe(">a:2");
    expect(made).toEqual(["a"]);
    // Another context's instance makes its own, from its own deps.
    const second = makeLoaders({ prefix: "#" });
    expect(await second.a.load("1")).toBe("#a:1");
    expect(made).toEqual(["a", "a"]);
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
