import { describe, expect, it } from "vitest";
import { prefixRange, usernameKey } from "./username.rules.ts";

describe("usernames", () => {
  it("keys them lower-cased", () => {
    expect(usernameKey("Alice_1.X")).toBe("alice_1.x");
  });

  it("ranges over exactly the keys with a prefix, in byte order", () => {
    const { from, to } = prefixRange("al_");
    const inRange = (key: string) => key >= from && key < to;
    expect(["al_", "al_x", "al_.", "al__9"].every(inRange)).toBe(true);
    expect(["al", "al.", "al`", "ala", "ak_z"].some(inRange)).toBe(false);
  });
});
