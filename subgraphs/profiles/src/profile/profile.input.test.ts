import { describe, expect, it } from "vitest";
import { parseInput } from "@pulse/platform/subgraph";
import {
  locationInputSchema,
  preferencesInputSchema,
  profileInputSchema,
} from "./profile.input.ts";

const today = new Date("2026-11-22T12:00:00Z");
const profile = {
  displayName: " Alice ",
  username: "Alice_1",
  birthdate: "2000-01-31",
  gender: "FEMALE",
  interestedIn: ["MALE", "MALE"],
  bio: "  ",
};

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { extensions: unknown }).extensions;
  }
  return expect.unreachable();
}

describe("profile input", () => {
  const schema = profileInputSchema(today);

  it("trims, drops an empty bio and duplicate genders", () => {
    expect(parseInput(schema, profile, "input")).toEqual({
      ...profile,
      displayName: "Alice",
      birthdate: new Date("2000-01-31T00:00:00Z"),
      interestedIn: ["MALE"],
      bio: null,
    });
  });

  it.each([
    [{ birthdate: "2008-11-23" }, "input.birthdate"],
    [{ birthdate: "1900-01-01" }, "input.birthdate"],
    [{ username: "al" }, "input.username"],
    [{ username: "a".repeat(31) }, "input.username"],
    [{ username: "al ice" }, "input.username"],
    [{ username: "alice!" }, "input.username"],
    [{ displayName: " " }, "input.displayName"],
    [{ displayName: "x".repeat(51) }, "input.displayName"],
    [{ bio: "x".repeat(501) }, "input.bio"],
    [{ interestedIn: [] }, "input.interestedIn"],
  ])("rejects %j on %s", (change, field) => {
    expect(fieldOf(() => parseInput(schema, { ...profile, ...change }, "input"))).toEqual({
      code: "BAD_USER_INPUT",
      field,
    });
  });

  it("accepts someone who turns 18 today", () => {
    expect(() =>
      parseInput(schema, { ...profile, birthdate: "2008-11-22" }, "input"),
    ).not.toThrow();
  });
});

describe("preferences input", () => {
  const valid = { minAge: 18, maxAge: 100, maxDistanceKm: 500, genders: ["FEMALE"] };

  it("accepts the bounds", () => {
    expect(parseInput(preferencesInputSchema, valid, "input")).toEqual(valid);
  });

  it.each([
    [{ minAge: 17 }, "input.minAge"],
    [{ maxAge: 101 }, "input.maxAge"],
    [{ minAge: 40, maxAge: 30 }, "input.maxAge"],
    [{ maxDistanceKm: 0 }, "input.maxDistanceKm"],
    [{ maxDistanceKm: 501 }, "input.maxDistanceKm"],
    [{ genders: [] }, "input.genders"],
  ])("rejects %j on %s", (change, field) => {
    expect(
      fieldOf(() => parseInput(preferencesInputSchema, { ...valid, ...change }, "input")),
    ).toMatchObject({ field });
  });
});

describe("location input", () => {
  it("upper-cases the country and drops an empty city", () => {
    expect(
      parseInput(
        locationInputSchema,
        { latitude: -90, longitude: 180, city: "", country: "de" },
        "input",
      ),
    ).toEqual({ latitude: -90, longitude: 180, city: null, country: "DE" });
  });

  it.each([
    [{ latitude: 90.1 }, "input.latitude"],
    [{ latitude: -91 }, "input.latitude"],
    [{ longitude: 181 }, "input.longitude"],
    [{ longitude: -180.5 }, "input.longitude"],
    [{ country: "XX" }, "input.country"],
    [{ country: "DEU" }, "input.country"],
    [{ country: "EU" }, "input.country"],
  ])("rejects %j on %s", (change, field) => {
    const input = { latitude: 52.5, longitude: 13.4, ...change };
    expect(fieldOf(() => parseInput(locationInputSchema, input, "input"))).toMatchObject({
      field,
    });
  });
});
