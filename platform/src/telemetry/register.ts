// Starts tracing before a service's modules load, when an OTLP endpoint is configured:
// `node --import tsx --import @pulse/platform/tracing src/main.ts`. Without one it loads nothing
// more: no SDK, no loader hook, no instrumentation.
import { loadTelemetryConfig } from "../config/telemetry-config.ts";

const config = loadTelemetryConfig();
if (config.enabled) {
  const [{ startTracing }, { BatchSpanProcessor }, exporters] = await Promise.all([
    import("./start-tracing.ts"),
    import("@opentelemetry/sdk-trace-base"),
    config.protocol === "http/json"
      ? import("@opentelemetry/exporter-trace-otlp-http")
      : import("@opentelemetry/exporter-trace-otlp-proto"),
  ]);
  // The exporter reads its endpoint, headers, timeout and compression from OTEL_EXPORTER_OTLP_*.
  startTracing({
    serviceName: config.serviceName,
    sampleRatio: config.sampleRatio,
    spanProcessors: [new BatchSpanProcessor(new exporters.OTLPTraceExporter())],
  });
}
