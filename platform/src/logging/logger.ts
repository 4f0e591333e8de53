import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/**
 * The process logger: JSON lines on stdout, each with the service name. Secrets that may appear
 * in request logs are redacted. A line about a request names its `requestId` itself (the
 * request's context carries it), rather than an AsyncLocalStorage adding it: on Node 20 that
 * runs promise hooks for every promise of the process, and the id is at hand where it is needed.
 */
export function createLogger(
  service: string,
  level: string,
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service },
    redact: {
      paths: ["*.password", "*.newPassword", "*.currentPassword", "*.refreshToken", "*.token"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
