import { describe, expect, it } from "vitest";
import { PASSED_THROUGH_ROUTES, subgraphBaseUrls } from "./webhook-passthrough.ts";

describe("webhook pass-through", () => {
  it("finds each subgraph's origin in the supergraph", () => {
    const sdl = `enum join__Graph {
  BILLING @join__graph(name: "billing", url: "http://localhost:4006/graphql")
  CHAT @join__graph(name: "chat", url: "http://10.0.0.7:4004/graphql")
}`;
    expect(subgraphBaseUrls(sdl)).toEqual({
      billing: "http://localhost:4006",
      chat: "http://10.0.0.7:4004",
    });
  });

  it("passes Stripe's webhooks to billing", () => {
    expect(PASSED_THROUGH_ROUTES).toEqual({ "/webhooks/stripe": "billing" });
  });
});
