import { context, propagation, trace, type Context, type Tracer } from "@opentelemetry/api";
import { TRACE_CONTEXT_EXTENSION } from "../subscriptions/upstream-protocol.ts";

// The OpenTelemetry API only: without a started SDK (platform/src/telemetry/start-tracing.ts)
// every call here is a no-op on a non-recording span, so the code paths cost next to nothing.

/** The span attribute every request's and subscription event's spans carry their request id in. */
export const REQUEST_ID_ATTRIBUTE = "pulse.request_id";

/** The tracer of our own spans (subscription events); libraries name their own. */
export function pulseTracer(): Tracer {
  return trace.getTracer("@pulse/platform");
}

let shutdown: (() => Promise<void>) | undefined;

/** Called by the SDK's start with how to stop it. */
export function markTracingStarted(stop: () => Promise<void>): void {
  shutdown = stop;
}

/** Whether this process started the tracing SDK: code that only adds spans checks this. */
export function tracingStarted(): boolean {
  return shutdown !== undefined;
}

/** Exports the spans still buffered and stops tracing (the last step of a graceful shutdown). */
export async function stopTracing(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  await stop?.();
}

/** Tags the active span (a request's server span) with the request's id. */
export function tagRequest(requestId: string): void {
  trace.getActiveSpan()?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
}

/**
 * The W3C trace context (`traceparent`, `tracestate`) of `from` (the active context by default),
 * for a message's extensions; undefined when nothing is traced.
 */
export function traceContextOf(
  from: Context = context.active(),
): Record<string, string> | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier.traceparent ? carrier : undefined;
}

/**
 * The context a message's extensions carried (see {@link traceContextOf}), or the active one when
 * they carry none.
 */
export function contextFrom(extensions: Record<string, unknown> | null | undefined): Context {
  const carrier = extensions?.[TRACE_CONTEXT_EXTENSION];
  if (typeof carrier !== "object" || carrier === null) return context.active();
  return propagation.extract(context.active(), carrier as Record<string, string>);
}

/**
 * Fields for pino's `mixin`: the active span's ids, so a log line leads to its trace. Nothing
 * when no span records.
 */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
