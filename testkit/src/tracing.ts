import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import { startTracing } from "@pulse/platform/tracing/sdk";
import { createRequire } from "node:module";

export type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
export { SpanKind } from "@opentelemetry/api";

export interface TestTracing {
  /** Every span finished since the start or the last `reset`, in the order they ended. */
  spans(): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * Starts tracing this process into memory, as `node --import @pulse/platform/tracing` does into
 * OTLP. The stack runs in the test's process, so its gateway's and subgraphs' spans all land
 * here. Call it before importing the stack: the instrumented modules (ioredis, node:http) must
 * load after it.
 */
export function startTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({
    serviceName: "pulse-test",
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  // Vitest imports packages around the loader hook that patches ioredis for ESM importers; one
  // require lets require-in-the-middle patch its Redis class, which every importer shares.
  createRequire(import.meta.url)("ioredis");
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: () => tracing.shutdown(),
  };
}
