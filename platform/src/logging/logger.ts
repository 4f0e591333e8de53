import { AsyncLocalStorage } from "node:async_hooks";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** What is known about the request being served, for every log line written while serving it. */
export interface RequestScope {
  requestId: string;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` with `scope` attached, so every log line it writes carries the request id. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return requestScope.run(scope, fn);
}

/** The request being served by the current async context, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return requestScope.getStore();
}

/**
 * The process logger: JSON lines on stdout, each with the service name and, inside a request,
 * its `requestId`. Secrets that may appear in request logs are redacted.
 */
export function createLogger(
  service: string,
  level: string,
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service },
    mixin: () => {
      const scope = requestScope.getStore();
      return scope ? { requestId: scope.requestId } : {};
    },
    redact: {
      paths: ["*.password", "*.newPassword", "*.currentPassword", "*.refreshToken", "*.token"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
