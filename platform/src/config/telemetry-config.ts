import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { loadConfig } from "./load-config.ts";

/**
 * OpenTelemetry's standard variables that decide whether a process traces at all. The exporter
 * reads the rest itself (`OTEL_EXPORTER_OTLP_HEADERS`, `..._TIMEOUT`, `..._COMPRESSION`), and the
 * batch processor its `OTEL_BSP_*`.
 */
const telemetryConfigSchema = z
  .object({
    OTEL_SDK_DISABLED: z.enum(["true", "false"]).default("false"),
    OTEL_TRACES_EXPORTER: z.enum(["otlp", "none"]).optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
    OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).optional(),
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(["http/protobuf", "http/json"]).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).optional(),
    /** The share of requests and subscription events traced, 0 to 1. */
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  })
  .transform((env) => ({
    /** Traces leave the process only to an OTLP endpoint someone configured. */
    enabled:
      env.OTEL_SDK_DISABLED === "false" &&
      env.OTEL_TRACES_EXPORTER !== "none" &&
      (env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ||
        env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined),
    protocol:
      env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf",
    serviceName: env.OTEL_SERVICE_NAME,
    sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
  }));

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema> & { serviceName: string };

/**
 * Reads the tracing variables before the service's own config: tracing starts before the service's
 * modules load. Without `OTEL_SERVICE_NAME`, a service is named after the package it is started
 * from (`@pulse/chat` is `chat`), as every service runs from its own folder.
 */
export function loadTelemetryConfig(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): TelemetryConfig {
  const config = loadConfig(telemetryConfigSchema, env);
  return { ...config, serviceName: config.serviceName ?? packageServiceName(cwd) };
}

function packageServiceName(cwd: string): string {
  try {
    const { name } = JSON.parse(readFileSync(path.join(cwd, "package.json"), "utf8")) as {
      name?: string;
    };
    if (name) return name.replace(/^@pulse\//, "");
  } catch {
    // no package.json here: fall through
  }
  return "unknown_service:node";
}
