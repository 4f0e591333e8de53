import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const gatewayFolder = fileURLToPath(new URL("../../../gateway", import.meta.url));

/** A process as a service starts: tsx, then tracing, then its own code, which serves a request. */
const service = `
  import {
    createLogger, createMetrics, createRedis, createServiceServer, listen, stopTracing,
    tracingStarted,
  } from "@pulse/platform/server";
  console.log(JSON.stringify({ tracing: tracingStarted() }));
  const logger = createLogger("probe", "silent");
  const redis = createRedis(process.env.REDIS_URL, "probe", logger);
  const server = createServiceServer({
    logger,
    metrics: createMetrics("probe"),
    readiness: [],
    graphql: async (_req, res) => {
      await redis.ping();
      res.end("{}");
    },
  });
  const url = await listen(server, 0);
  await fetch(url + "/graphql", { headers: { "x-request-id": "probe-request" } });
  await fetch(url + "/health");
  server.close();
  redis.disconnect();
  await stopTracing();
`;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A tiny OTLP/HTTP receiver that keeps what it is sent (decoded when it is JSON). */
let receiver: Server;
const received: OtlpExport[] = [];
const contentTypes: string[] = [];
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url !== "/v1/traces") return res.writeHead(404).end();
      contentTypes.push(req.headers["content-type"] ?? "");
      if (req.headers["content-type"] === "application/json") {
        received.push(JSON.parse(body) as OtlpExport);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** The process's environment without any OTEL_* variable of the machine's, then `env`. */
function environment(env: Record<string, string>) {
  return {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("OTEL_")),
    ),
    REDIS_URL: inject("redisUrl"),
    ...env,
  };
}

const startService = (env: Record<string, string>) =>
  run(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "@pulse/platform/tracing",
      "--input-type=module",
      "-e",
      service,
    ],
    { cwd: gatewayFolder, env: environment(env) },
  );

const endpoint = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const valueOf = (attributes: OtlpSpan["attributes"], key: string) =>
  attributes.find((attribute) => attribute.key === key)?.value.stringValue;

describe("node --import @pulse/platform/tracing", () => {
  it("exports a request's spans, its Redis command included, over OTLP to the configured endpoint", async () => {
    const { stdout } = await startService({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint(),
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    });
    expect(JSON.parse(stdout)).toEqual({ tracing: true });

    const resources = received.flatMap((batch) => batch.resourceSpans);
    // Named after the package it started from: @pulse/gateway.
    expect(new Set(resources.map((r) => valueOf(r.resource.attributes, "service.name")))).toEqual(
      new Set(["gateway"]),
    );
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((scope) => scope.spans));
    // The /health probe has no trace; the request's server span is the root of its own.
    const server = spans.filter((span) => span.kind === 2);
    expect(server).toHaveLength(1);
    expect(server[0]!.parentSpanId ?? "").toBe("");
    expect(valueOf(server[0]!.attributes, "pulse.request_id")).toBe("probe-request");
    const ping = spans.find((span) => span.name === "ping");
    expect(ping).toMatchObject({ traceId: server[0]!.traceId, parentSpanId: server[0]!.spanId });
  });

  it("sends protobuf, OTLP's default protocol, unless told otherwise", async () => {
    contentTypes.length = 0;
    await startService({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint() });
    expect(new Set(contentTypes)).toEqual(new Set(["application/x-protobuf"]));
  });

  it("starts nothing without an endpoint", async () => {
    contentTypes.length = 0;
    const { stdout, stderr } = await startService({});
    expect(JSON.parse(stdout)).toEqual({ tracing: false });
    expect(stderr).toBe("");
    expect(contentTypes).toEqual([]);
  });
});
