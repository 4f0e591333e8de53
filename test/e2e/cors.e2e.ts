import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, withGateway, type Stack } from "@pulse/testkit/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** A production gateway; its metrics on any free port of their own. */
const PRODUCTION = { NODE_ENV: "production", METRICS_PORT: "0" };

/** A browser's preflight before a POST with a bearer token and JSON. */
const preflight = (gatewayUrl: string, origin: string) =>
  fetch(`${gatewayUrl}/graphql`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type",
    },
  });

/** A query as a page on `origin` sends it. */
const queryFrom = (gatewayUrl: string, origin: string) =>
  fetch(`${gatewayUrl}/graphql`, {
    method: "POST",
    headers: { origin, "content-type": "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
  });

describe("CORS in development and tests", () => {
  it("answers a preflight from a localhost page on any port", async () => {
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:41234"]) {
      const response = await preflight(stack.gatewayUrl, origin);
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-methods")).toBe("GET,POST");
      expect(response.headers.get("access-control-allow-headers")).toContain("authorization");
      expect(response.headers.get("access-control-allow-headers")).toContain("content-type");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      expect(response.headers.get("vary")).toContain("Origin");
    }
  });

  it("lets a localhost page read answers, and no other origin", async () => {
    const allowed = await queryFrom(stack.gatewayUrl, "http://localhost:5173");
    expect(await allowed.json()).toEqual({ data: { __typename: "Query" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(allowed.headers.get("access-control-expose-headers")).toContain("x-request-id");

    const refused = await queryFrom(stack.gatewayUrl, "https://evil.example");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const refusedPreflight = await preflight(stack.gatewayUrl, "https://evil.example");
    expect(refusedPreflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(refusedPreflight.headers.get("access-control-allow-headers")).toBeNull();
  });
});

describe("CORS in production", () => {
  it("allows no origin by default, not even localhost", async () => {
    await withGateway(stack, PRODUCTION, async (gateway) => {
      const response = await preflight(gateway.url, "http://localhost:5173");
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    });
  });

  it("allows exactly the origins of CORS_ORIGINS", async () => {
    const origins = { CORS_ORIGINS: "https://app.example.com, https://admin.example.com" };
    await withGateway(stack, { ...PRODUCTION, ...origins }, async (gateway) => {
      for (const origin of ["https://app.example.com", "https://admin.example.com"]) {
        const response = await preflight(gateway.url, origin);
        expect(response.status).toBe(204);
        expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      }
      for (const origin of ["https://app.example.com.evil.example", "http://localhost:5173"]) {
        const response = await queryFrom(gateway.url, origin);
        expect(response.headers.get("access-control-allow-origin")).toBeNull();
      }
    });
  });
});
