import { GraphQLError } from "graphql";

/**
 * `extensions.reason` of an INTERNAL_SERVER_ERROR caused by a dependency that does not answer
 * (Redis, Postgres, a subgraph): nothing was wrong with the request, and the same request may
 * succeed in a moment. The contract has no code of its own for it; the reason tells clients to
 * retry (idempotent mutations may be retried as they are) rather than report a bug.
 */
export const UNAVAILABLE_REASON = "UNAVAILABLE";

/** Seconds a client should wait before retrying an unavailable dependency. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/** Socket and driver codes of a connection that could not be made or was lost. */
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTCONN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  // Prisma: cannot reach the server, timed out reaching it, closed the connection, pool timeout.
  "P1001",
  "P1002",
  "P1017",
  "P2024",
  // Postgres: the server is shutting down or starting up, or cannot take a connection now.
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/** Prisma's driver adapter's kinds of error for a database that cannot be reached. */
const adapterKinds = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);

/** What ioredis and the pg driver say when their connection is gone. */
const connectionMessages = [
  /Connection is closed/i,
  /Stream isn't writeable/i,
  /Reached the max retries per request limit/i,
  /Command timed out/i,
  /Connection terminated/i,
  /Can't reach database server/i,
  /connect ECONNREFUSED/i,
  /Client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
  // Prisma (P2028): no connection for a transaction within maxWait, the pool exhausted or the
  // server not answering; its other P2028 errors (a closed transaction) are bugs of ours.
  /Unable to start a transaction in the given time/i,
  /ECONNRESET|socket hang up|other side closed/i,
];

/**
 * Whether `error`, or any error it wraps (`originalError`, `cause`, a Prisma error's driver
 * adapter error), says a dependency could not be reached.
 */
export function isUnavailableError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      type?: unknown;
      kind?: unknown;
      originalError?: unknown;
      cause?: unknown;
      extensions?: { reason?: unknown };
      meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
    };
    if (candidate.extensions?.reason === UNAVAILABLE_REASON) return true;
    if (typeof candidate.code === "string" && connectionCodes.has(candidate.code)) return true;
    if (candidate.name === "MaxRetriesPerRequestError") return true;
    if (adapterKinds.has(candidate.meta?.driverAdapterError?.cause?.kind as string)) return true;
    // A driver adapter error thrown as it is: its cause is the kind, reached below.
    if (adapterKinds.has(candidate.kind as string)) return true;
    const message = typeof candidate.message === "string" ? candidate.message : "";
    // The same error as logged: pino keeps its class as `type` and drops the cause, and its
    // message is the kind.
    if (candidate.type === "DriverAdapterError" && adapterKinds.has(message)) return true;
    if (connectionMessages.some((pattern) => pattern.test(message))) return true;
    current =
      current instanceof GraphQLError
        ? candidate.originalError
        : (candidate.cause ?? candidate.originalError);
  }
  return false;
}
