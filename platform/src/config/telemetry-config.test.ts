import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTelemetryConfig } from "./telemetry-config.ts";

let packageFolder: string;
beforeAll(async () => {
  packageFolder = await mkdtemp(path.join(tmpdir(), "pulse-telemetry-"));
  await writeFile(
    path.join(packageFolder, "package.json"),
    JSON.stringify({ name: "@pulse/chat" }),
  );
});
afterAll(() => rm(packageFolder, { recursive: true, force: true }));

const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
const load = (env: Record<string, string>) => loadTelemetryConfig(env, packageFolder);

describe("loadTelemetryConfig", () => {
  it("traces only when an OTLP endpoint is configured and tracing is not turned off", () => {
    expect(load({}).enabled).toBe(false);
    expect(load(endpoint).enabled).toBe(true);
    expect(
      load({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" }).enabled,
    ).toBe(true);
    expect(load({ ...endpoint, OTEL_SDK_DISABLED: "true" }).enabled).toBe(false);
    expect(load({ ...endpoint, OTEL_TRACES_EXPORTER: "none" }).enabled).toBe(false);
  });

  it("sends protobuf unless told JSON, the traces' own variable first", () => {
    expect(load(endpoint).protocol).toBe("http/protobuf");
    expect(load({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }).protocol).toBe(
      "http/json",
    );
    expect(
      load({
        ...endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/protobuf",
      }).protocol,
    ).toBe("http/protobuf");
  });

  it("names the service after its package unless OTEL_SERVICE_NAME does", () => {
    expect(load(endpoint).serviceName).toBe("chat");
    expect(load({ ...endpoint, OTEL_SERVICE_NAME: "chat-eu" }).serviceName).toBe("chat-eu");
  });

  it("traces every entry point unless given a ratio", () => {
    expect(load(endpoint).sampleRatio).toBe(1);
    expect(load({ ...endpoint, OTEL_TRACES_SAMPLER_ARG: "0.25" }).sampleRatio).toBe(0.25);
  });
});
