import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Logger } from "../logging/logger.ts";
import { REQUEST_ID_HEADER } from "../auth/forwarded-identity.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { tagRequest } from "../telemetry/tracing.ts";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** A named check `/ready` runs; it throws (or times out) when its dependency is unusable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface ServiceServerOptions {
  logger: Logger;
  metrics: Metrics;
  /** Handler for `/graphql`. */
  graphql: RouteHandler;
  /** Further routes by exact path, such as `/.well-known/jwks.json`. */
  routes?: Record<string, RouteHandler>;
  readiness: ReadinessCheck[];
  /** Headers sent with every response (security headers, for a public server). */
  headers?: Record<string, string>;
  /**
   * Serve `/metrics` on this server. Off for a public server whose metrics are served on a port
   * of their own ({@link createMetricsServer}). @default true
   */
  metricsRoute?: boolean;
  /** How long a keep-alive connection serves requests. @default CONNECTION_MAX_AGE_MS */
  connectionMaxAgeMs?: number;
}

/**
 * How long a keep-alive connection serves requests: the first response after that ends it
 * (`Connection: close`) and the client opens another, which its load balancer may send to
 * another replica. A client with steady traffic (a gateway, a busy app) never lets its
 * connections go idle, so without an end a replica that starts (restarted, or added by the
 * autoscaler) would never get its share (ADR 0026). WebSocket connections are not affected.
 */
export const CONNECTION_MAX_AGE_MS = 30_000;

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;
const READINESS_TIMEOUT_MS = 2000;

const requestIds = new WeakMap<IncomingMessage, string>();
/** When each connection was accepted, from `performance.now()`. */
const acceptedAt = new WeakMap<Socket, number>();

/** Servers {@link closeServer} is closing: their responses end their connections. */
const closing = new WeakSet<Server>();
/** Each server's responses not yet finished, for {@link closeServer} to end their connections. */
const unfinished = new WeakMap<Server, Set<ServerResponse>>();

/** The id of a request the service server accepted (the caller's, or one it made up). */
export function requestIdOf(req: IncomingMessage): string {
  return requestIds.get(req) ?? "unknown";
}

/**
 * The HTTP server of every process: `/graphql`, `/health` (the process is alive), `/ready` (its
 * dependencies answer), `/metrics` (Prometheus), plus any extra routes. Each request gets a
 * request id (the caller's `x-request-id` if well-formed), sent back, and read by
 * {@link requestIdOf} for its context and its log lines, and set on its trace's server span.
 */
export function createServiceServer(options: ServiceServerOptions): Server {
  const routes: Record<string, RouteHandler> = {
    "/graphql": options.graphql,
    "/health": (_req, res) => sendJson(res, 200, { status: "ok" }),
    "/ready": (_req, res) => ready(res, options.readiness),
    ...(options.metricsRoute === false ? {} : { "/metrics": metricsRoute(options.metrics) }),
    ...options.routes,
  };
  const headers = Object.entries(options.headers ?? {});
  const maxAgeMs = options.connectionMaxAgeMs ?? CONNECTION_MAX_AGE_MS;
  const aged = (socket: Socket) =>
    performance.now() - (acceptedAt.get(socket) ?? -Infinity) >= maxAgeMs;
  const responses = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    if (closing.has(server) || aged(req.socket)) res.setHeader("connection", "close");
    responses.add(res);
    res.once("close", () => responses.delete(res));
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId =
      typeof incoming === "string" && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    requestIds.set(req, requestId);
    tagRequest(requestId);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes[path];
    if (!route) return sendJson(res, 404, { error: "not found" });
    void (async () => {
      try {
        await route(req, res);
      } catch (error) {
        options.logger.error({ err: error, path, requestId }, "request failed");
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.end();
      }
    })();
  });
  server.on("connection", (socket: Socket) => acceptedAt.set(socket, performance.now()));
  unfinished.set(server, responses);
  return server;
}

function metricsRoute(metrics: Metrics): RouteHandler {
  return async (_req, res) => {
    res.writeHead(200, { "content-type": metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  };
}

/**
 * A server of `/metrics` alone, for a port Prometheus reaches and clients do not: a public
 * process's metrics name its operations, subgraphs and load.
 */
export function createMetricsServer(metrics: Metrics): Server {
  const serve = metricsRoute(metrics);
  return createServer((req, res) => {
    if ((req.url ?? "/").split("?")[0] !== "/metrics")
      return sendJson(res, 404, { error: "not found" });
    void serve(req, res);
  });
}

async function ready(res: ServerResponse, checks: ReadinessCheck[]): Promise<void> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), READINESS_TIMEOUT_MS);
        return [name, "ok"] as const;
      } catch {
        return [name, "unavailable"] as const;
      }
    }),
  );
  const healthy = results.every(([, status]) => status === "ok");
  sendJson(res, healthy ? 200 : 503, {
    status: healthy ? "ready" : "not ready",
    checks: Object.fromEntries(results),
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
  ]);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Listens on `port` (0 for any free port) and resolves to the base URL. */
export async function listen(server: Server, port: number, host = "127.0.0.1"): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}

/**
 * Stops accepting connections and waits for in-flight requests, closing idle keep-alives. A
 * keep-alive connection busy at that moment is ended by its response (`Connection: close`, on
 * responses not yet begun and on any later request's):
 * otherwise a client with steady traffic (the gateway) keeps sending on it and the server never
 * finishes closing (seen in the SIGTERM fault test).
 */
export async function closeServer(server: Server): Promise<void> {
  closing.add(server);
  for (const res of unfinished.get(server) ?? []) {
    if (!res.headersSent) res.setHeader("connection", "close");
  }
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
