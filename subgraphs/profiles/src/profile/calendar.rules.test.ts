import { describe, expect, it } from "vitest";
import { ageOn, fromCalendarDate, toCalendarDate } from "./calendar.rules.ts";

const day = fromCalendarDate;

describe("ageOn", () => {
  it("counts whole years, turning older on the birthday itself", () => {
    expect(ageOn(day("2000-06-15"), day("2018-06-14"))).toBe(17);
    expect(ageOn(day("2000-06-15"), day("2018-06-15"))).toBe(18);
    expect(ageOn(day("2000-06-15"), day("2019-01-01"))).toBe(18);
  });

  it("ages someone born on 29 February on 1 March in other years", () => {
    expect(ageOn(day("2004-02-29"), day("2022-02-28"))).toBe(17);
    expect(ageOn(day("2004-02-29"), day("2022-03-01"))).toBe(18);
    expect(ageOn(day("2004-02-29"), day("2024-02-29"))).toBe(20);
  });

  it("round-trips calendar dates", () => {
    expect(toCalendarDate(day("1999-12-31"))).toBe("1999-12-31");
  });
});
