import { Agent, request, type IncomingMessage, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { REQUEST_ID_HEADER } from "../auth/forwarded-identity.ts";
import { createLogger } from "../logging/logger.ts";
import { createMetrics } from "../metrics/metrics.ts";
import {
  closeServer,
  CONNECTION_MAX_AGE_MS,
  createServiceServer,
  listen,
  requestIdOf,
  sendJson,
} from "./service-server.ts";

let server: Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

/** A service server whose `/graphql` answers the request id it was given, or throws. */
async function serve(lines: Record<string, unknown>[] = []) {
  const logger = createLogger("test", "info", {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  server = createServiceServer({
    logger,
    metrics: createMetrics("test"),
    graphql: (req, res) => sendJson(res, 200, { requestId: requestIdOf(req) }),
    routes: {
      "/broken": () => {
        throw new Error("boom");
      },
    },
    readiness: [],
  });
  return listen(server, 0);
}

describe("request ids", () => {
  it("takes the caller's well-formed id, sends it back and hands it to the route", async () => {
    const url = await serve();
    const response = await fetch(`${url}/graphql`, { headers: { [REQUEST_ID_HEADER]: "req-7:a" } });
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe("req-7:a");
    expect(await response.json()).toEqual({ requestId: "req-7:a" });
  });

  it("replaces a malformed id with one of its own", async () => {
    const url = await serve();
    const response = await fetch(`${url}/graphql`, {
      headers: { [REQUEST_ID_HEADER]: "no spaces allowed" },
    });
    const sent = response.headers.get(REQUEST_ID_HEADER);
    expect(sent).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ requestId: sent });
  });

  it("logs a failed route with its request id and answers 500", async () => {
    const lines: Record<string, unknown>[] = [];
    const url = await serve(lines);
    const response = await fetch(`${url}/broken`, { headers: { [REQUEST_ID_HEADER]: "req-9" } });
    expect(response.status).toBe(500);
    expect(lines).toEqual([
      expect.objectContaining({ msg: "request failed", requestId: "req-9", path: "/broken" }),
    ]);
  });
});

describe("closing", () => {
  it("ends a keep-alive connection busy when closing began with its response", async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived = () => {};
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    server = createServiceServer({
      logger: createLogger("test", "silent"),
      metrics: createMetrics("test"),
      graphql: async (_req, res) => {
        arrived();
        await released;
        sendJson(res, 200, {});
      },
      readiness: [],
    });
    const url = await listen(server, 0);
    // One kept-alive connection, as the gateway's pool holds them.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answered = new Promise<IncomingMessage>((resolve, reject) =>
      request(`${url}/graphql`, { agent }, resolve).on("error", reject).end(),
    );
    await inFlight;
    const closing = closeServer(server);
    server = undefined;
    release();
    const response = await answered;
    response.resume();
    // Otherwise a client with steady traffic keeps sending on it and closing never ends.
    expect(response.headers.connection).toBe("close");
    await closing;
    agent.destroy();
  });
});

describe("connection age", () => {
  /** The `Connection` header of two requests on one kept-alive connection. */
  async function twoRequests(connectionMaxAgeMs: number) {
    server = createServiceServer({
      logger: createLogger("test", "silent"),
      metrics: createMetrics("test"),
      graphql: (_req, res) => sendJson(res, 200, {}),
      readiness: [],
      connectionMaxAgeMs,
    });
    const url = await listen(server, 0);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const headers: (string | undefined)[] = [];
    for (let i = 0; i < 2; i += 1) {
      const response = await new Promise<IncomingMessage>((resolve, reject) =>
        request(`${url}/graphql`, { agent }, resolve).on("error", reject).end(),
      );
      response.resume();
      headers.push(response.headers.connection);
    }
    agent.destroy();
    return headers;
  }

  it("keeps a young connection alive", async () => {
    expect(await twoRequests(CONNECTION_MAX_AGE_MS)).toEqual(["keep-alive", "keep-alive"]);
  });

  it("ends a connection past its age with the next response, so the client opens another", async () => {
    expect(await twoRequests(0)).toEqual(["close", "close"]);
  });
});
