import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeConfigErrors, env } from "./load-config.ts";

describe("config validation", () => {
  const schema = z.object({
    DATABASE_URL: env.postgresUrl,
    REDIS_URL: env.redisUrl,
    PORT: env.port(4001),
    GATEWAY_SECRET: env.gatewaySecret,
  });

  it("names every missing or invalid variable on one line", () => {
    const result = schema.safeParse({ DATABASE_URL: "mysql://x", PORT: "70000" });
    expect(result.success).toBe(false);
    const line = describeConfigErrors(result.error!);
    expect(line).not.toContain("\n");
    expect(line).toMatch(/^DATABASE_URL: must be a postgresql:\/\/ connection string; /);
    expect(line).toContain("REDIS_URL: required, a redis:// or redis+cluster:// connection string");
    expect(line).toContain("PORT: ");
    expect(line).toContain("GATEWAY_SECRET: required");
  });

  it("applies defaults and coerces numbers", () => {
    const parsed = schema.parse({
      DATABASE_URL: "postgresql://localhost/db",
      REDIS_URL: "redis://localhost:6379",
      GATEWAY_SECRET: "x".repeat(32),
    });
    expect(parsed.PORT).toBe(4001);
  });

  it("takes a cluster by its nodes, and names a malformed node", () => {
    const base = { DATABASE_URL: "postgresql://localhost/db", GATEWAY_SECRET: "x".repeat(32) };
    const cluster = "redis+cluster://10.0.0.1:7000,10.0.0.2:7000";
    expect(schema.parse({ ...base, REDIS_URL: cluster }).REDIS_URL).toBe(cluster);
    const result = schema.safeParse({
      ...base,
      REDIS_URL: "redis+cluster://10.0.0.1,10.0.0.2:7000",
    });
    expect(describeConfigErrors(result.error!)).toBe('REDIS_URL: "10.0.0.1" is not host:port');
  });
});
