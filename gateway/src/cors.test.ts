import { describe, expect, it } from "vitest";
import { gatewayConfigSchema } from "./config.ts";
import { isAllowedOrigin } from "./cors.ts";

const required = { GATEWAY_SECRET: "x".repeat(32), REDIS_URL: "redis://127.0.0.1:6379" };

describe("allowed origins", () => {
  it("are any loopback origin in development and tests, none in production", () => {
    for (const NODE_ENV of ["development", "test"]) {
      expect(gatewayConfigSchema.parse({ ...required, NODE_ENV }).CORS_ORIGINS).toBe("loopback");
    }
    expect(gatewayConfigSchema.parse({ ...required, NODE_ENV: "production" }).CORS_ORIGINS).toEqual(
      [],
    );
  });

  it("are read from CORS_ORIGINS, comma-separated, each an exact origin", () => {
    const config = gatewayConfigSchema.parse({
      ...required,
      CORS_ORIGINS: "https://app.example.com, http://localhost:5173",
    });
    expect(config.CORS_ORIGINS).toEqual(["https://app.example.com", "http://localhost:5173"]);
    for (const bad of ["app.example.com", "https://app.example.com/", "*"]) {
      expect(gatewayConfigSchema.safeParse({ ...required, CORS_ORIGINS: bad }).success, bad).toBe(
        false,
      );
    }
  });

  it("loopback means localhost, 127.0.0.1 and [::1] on any port, nothing that only looks so", () => {
    const allowed = ["http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000"];
    const refused = ["http://localhost.evil.example", "http://127.0.0.1.nip.io:80", "null"];
    for (const origin of allowed) expect(isAllowedOrigin(origin, "loopback"), origin).toBe(true);
    for (const origin of refused) expect(isAllowedOrigin(origin, "loopback"), origin).toBe(false);
  });
});
