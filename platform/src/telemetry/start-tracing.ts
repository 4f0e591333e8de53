import { register } from "node:module";
import { SpanKind, type Attributes, type Context, type Link } from "@opentelemetry/api";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { markTracingStarted } from "./tracing.ts";

/** Paths polled by orchestrators and Prometheus: no trace of their own. */
const UNTRACED_PATHS = new Set(["/health", "/ready", "/metrics"]);

/**
 * Modules instrumented by patching their exports, which for ESM imports needs
 * import-in-the-middle's loader hook; limited to these, so no other module is wrapped.
 */
const PATCHED_MODULES = ["http", "node:http", "https", "node:https", "ioredis"];

export interface TracingOptions {
  serviceName: string;
  /** The share of entry points (requests, subscription events) traced, 0 to 1. @default 1 */
  sampleRatio?: number;
  /** Where finished spans go: a batch processor over an OTLP exporter, or a test's. */
  spanProcessors: SpanProcessor[];
}

export interface Tracing {
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing this process: a tracer provider with W3C propagation and async context, and the
 * instrumentations of incoming and outgoing HTTP (node:http), subgraph fetches (undici) and Redis
 * (ioredis); Prisma's comes with the first Prisma client (`prisma-tracing.ts`). Call it before
 * the modules it instruments are imported: `register.ts` does, through `node --import`.
 *
 * A trace starts only where work enters a process (a server span: a request; a consumer span: a
 * subscription event); spans without a parent from background loops (outbox relays, event
 * consumers, health checks) are not recorded.
 */
export function startTracing(options: TracingOptions): Tracing {
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, {
    data: { include: PATCHED_MODULES },
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: new ParentBasedSampler({
      root: new EntryPointSampler(new TraceIdRatioBasedSampler(options.sampleRatio ?? 1)),
    }),
    spanProcessors: options.spanProcessors,
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? "/").split("?")[0]!),
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  const shutdown = async () => {
    unregister();
    await provider.shutdown();
  };
  markTracingStarted(shutdown);
  return { shutdown };
}

/**
 * Samples a root span only where work enters the process (see {@link startTracing}), and there
 * as `entries` decides (a ratio).
 */
export class EntryPointSampler implements Sampler {
  constructor(private readonly entries: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (kind !== SpanKind.SERVER && kind !== SpanKind.CONSUMER) {
      return { decision: SamplingDecision.NOT_RECORD };
    }
    return this.entries.shouldSample(context, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `EntryPointSampler{${this.entries.toString()}}`;
  }
}
