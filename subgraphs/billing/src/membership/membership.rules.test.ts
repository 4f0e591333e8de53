import { describe, expect, it } from "vitest";
import { isLive, membershipState } from "./membership.rules.ts";

describe("membershipState", () => {
  it("keeps premium while Stripe retries a failed invoice, not after", () => {
    expect(membershipState("active")).toEqual({ status: "ACTIVE", isPremium: true });
    expect(membershipState("trialing")).toEqual({ status: "TRIALING", isPremium: true });
    expect(membershipState("past_due")).toEqual({ status: "PAST_DUE", isPremium: true });
    expect(membershipState("unpaid")).toEqual({ status: "PAST_DUE", isPremium: false });
    expect(membershipState("canceled")).toEqual({ status: "CANCELED", isPremium: false });
    expect(membershipState("incomplete")).toBeNull();
    expect(isLive("PAST_DUE")).toBe(true);
    expect(isLive("CANCELED")).toBe(false);
  });
});
