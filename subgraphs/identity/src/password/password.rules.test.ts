import { describe, expect, it } from "vitest";
import { assertPasswordPolicy } from "./password.rules.ts";

describe("password policy", () => {
  it.each([
    ["Sh0rt!", "at least 8 characters"],
    ["alllower1!", "an upper-case letter"],
    ["ALLUPPER1!", "a lower-case letter"],
    ["NoDigits!!", "a digit"],
    ["NoSpecial12", "one of !@#$%^&*"],
  ])("rejects %s for lacking %s", (password, lacking) => {
    expect(() => assertPasswordPolicy(password, "input.password")).toThrowError(lacking);
  });

  it("names the field in the error", () => {
    try {
      assertPasswordPolicy("weak", "input.newPassword");
      expect.unreachable();
    } catch (error) {
      expect((error as { extensions: unknown }).extensions).toEqual({
        code: "BAD_USER_INPUT",
        field: "input.newPassword",
      });
    }
  });

  it("accepts a password that meets every rule", () => {
    expect(() => assertPasswordPolicy("Corr3ct-Horse!", "input.password")).not.toThrow();
  });

  it("bounds the length", () => {
    expect(() => assertPasswordPolicy(`Aa1!${"x".repeat(200)}`, "input.password")).toThrowError(
      "at most 128",
    );
  });
});
