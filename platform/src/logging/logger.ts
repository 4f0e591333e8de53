import { pino, type DestinationStream, type Logger } from "pino";
import { traceLogFields } from "../telemetry/tracing.ts";

export type { Logger } from "pino";

/**
 * The process logger: JSON lines on stdout, each with the service name. Secrets that may appear
 * in request logs are redacted. A line about a request names its `requestId` itself (the
 * request's context carries it), rather than an AsyncLocalStorage adding it: on Node 20 that
 * runs promise hooks for every promise of the process, and the id is at hand where it is needed.
 * When the process traces, a line written inside a span also names its `trace_id` and `span_id`.
 */
export function createLogger(
  service: string,
  level: string,
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service },
    mixin: traceLogFields,
    redact: {
      paths: ["*.password", "*.newPassword", "*.currentPassword", "*.refreshToken", "*.token"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
