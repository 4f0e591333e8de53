import { describe, expect, it } from "vitest";
import { completeness } from "./completeness.rules.ts";

describe("completeness", () => {
  it("is 0.2 for the required fields alone", () => {
    expect(completeness({ bio: null, latitude: null }, 0)).toBe(0.2);
  });

  it("adds the bio, the location and a third of the photo weight per photo", () => {
    expect(completeness({ bio: "Runner", latitude: null }, 0)).toBe(0.35);
    expect(completeness({ bio: null, latitude: 0 }, 1)).toBe(0.52);
    expect(completeness({ bio: "Runner", latitude: 52.5 }, 2)).toBe(0.83);
  });

  it("reaches 1 with three photos and stays there", () => {
    expect(completeness({ bio: "Runner", latitude: 52.5 }, 3)).toBe(1);
    expect(completeness({ bio: "Runner", latitude: 52.5 }, 9)).toBe(1);
  });
});
