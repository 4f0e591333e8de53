import { describe, expect, it } from "vitest";
import { parseClusterUrl } from "./redis-url.ts";

describe("parseClusterUrl", () => {
  it("reads a cluster's nodes, credentials and TLS", () => {
    expect(parseClusterUrl("redis+cluster://10.0.0.1:7000,redis-1.internal:7001/")).toEqual({
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "redis-1.internal", port: 7001 },
      ],
      tls: false,
    });
    expect(parseClusterUrl("rediss+cluster://pulse:s%40cret@[::1]:7000")).toEqual({
      nodes: [{ host: "::1", port: 7000 }],
      username: "pulse",
      password: "s@cret",
      tls: true,
    });
    expect(parseClusterUrl("redis+cluster://:secret@a:1")).toMatchObject({ password: "secret" });
  });

  it("leaves a one-server URL alone", () => {
    expect(parseClusterUrl("redis://127.0.0.1:6379")).toBeUndefined();
    expect(parseClusterUrl("rediss://user:pass@host:6380/2")).toBeUndefined();
  });

  it("refuses a cluster URL it cannot read", () => {
    expect(() => parseClusterUrl("redis+cluster://a:1,b")).toThrow('"b" is not host:port');
    expect(() => parseClusterUrl("redis+cluster://a:99999")).toThrow("is not host:port");
    expect(() => parseClusterUrl("redis+cluster://")).toThrow("redis+cluster://host:port");
  });
});
