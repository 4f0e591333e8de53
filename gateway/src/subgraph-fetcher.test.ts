import { RemoteGraphQLDataSource } from "@apollo/gateway";
import { once } from "node:events";
import { setImmediate as nextTurn } from "node:timers/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSubgraphFetcher, type SubgraphFetcher } from "./subgraph-fetcher.ts";

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A real HTTP server on a free port, answering with `respond` and recording what it got. */
async function startServer(respond: (request: Received, response: ServerResponse) => void) {
  const received: Received[] = [];
  let connections = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      respond(entry, response);
    });
  });
  server.on("connection", () => connections++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type TestServer = Awaited<ReturnType<typeof startServer>>;

describe("createSubgraphFetcher", () => {
  let fetcher: SubgraphFetcher;
  let server: TestServer | undefined;

  beforeEach(() => {
    fetcher = createSubgraphFetcher();
  });

  afterEach(async () => {
    await fetcher.close();
    await server?.close();
    server = undefined;
  });

  it("posts JSON and reads a JSON answer, with headers both ways", async () => {
    server = await startServer((request, response) => {
      response.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "x-echo": request.headers["x-request-id"] ?? "",
        "set-cookie": ["a=1", "b=2"],
      });
      response.end(JSON.stringify({ data: { echoed: JSON.parse(request.body) } }));
    });

    const response = await fetcher.fetch(`${server.url}/graphql?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-1" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });

    expect(server.received).toEqual([
      expect.objectContaining({
        method: "POST",
        url: "/graphql?x=1",
        headers: expect.objectContaining({
          "content-type": "application/json",
          "x-request-id": "req-1",
        }),
        body: '{"query":"{ me { id } }"}',
      }),
    ]);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe("OK");
    expect(response.url).toBe(`${server.url}/graphql?x=1`);
    expect(response.headers.get("X-Echo")).toBe("req-1");
    expect(response.headers.has("content-type")).toBe(true);
    expect(response.headers.get("set-cookie")).toBe("a=1, b=2");
    expect(response.headers.get("x-missing")).toBeNull();
    expect(response.bodyUsed).toBe(false);
    const copy = response.clone();
    expect(await response.json()).toEqual({ data: { echoed: { query: "{ me { id } }" } } });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(new TextDecoder().decode(await copy.arrayBuffer())).toContain('"echoed"');
  });

  it("resolves a non-2xx status with its body, as fetch does", async () => {
    server = await startServer((_request, response) => {
      response.writeHead(503, { "content-type": "text/plain" });
      response.end("subgraph down");
    });

    const response = await fetcher.fetch(`${server.url}/graphql`, { method: "POST", body: "{}" });

    expect(response.status).toBe(503);
    expect(response.ok).toBe(false);
    expect(response.statusText).toBe("Service Unavailable");
    expect(await response.text()).toBe("subgraph down");
  });

  it("rejects like fetch when the connection is refused", async () => {
    const closed = await startServer(() => {});
    await closed.close();

    const failure = fetcher.fetch(`${closed.url}/graphql`, { method: "POST", body: "{}" });

    await expect(failure).rejects.toThrow(new TypeError("fetch failed"));
    await expect(failure).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
  });

  it("rejects with the signal's reason when aborted", async () => {
    server = await startServer(() => {}); // never answers
    const controller = new AbortController();

    const failure = fetcher.fetch(`${server.url}/graphql`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("gave up")), 20);

    await expect(failure).rejects.toThrow("gave up");
  });

  it("keeps connections alive for sequential requests", async () => {
    server = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
    const post = async () => {
      const response = await fetcher.fetch(`${server!.url}/graphql`, {
        method: "POST",
        body: "{}",
      });
      expect(await response.json()).toEqual({});
    };

    // undici waits a turn of the event loop before reusing a socket (pipelining 1)...
    for (let i = 0; i < 5; i++) {
      await post();
      await nextTurn();
    }
    expect(server.connections()).toBe(1);
    // ...so requests sent back to back alternate between two.
    for (let i = 0; i < 10; i++) await post();
    expect(server.received).toHaveLength(15);
    expect(server.connections()).toBe(2);
  });

  it("serves RemoteGraphQLDataSource: headers out, errors back", async () => {
    server = await startServer((request, response) => {
      if (request.headers["x-fail"]) {
        response.writeHead(500, { "content-type": "application/json" });
        response.end('{"message":"boom"}');
        return;
      }
      response.writeHead(200, { "content-type": "application/graphql-response+json" });
      response.end(JSON.stringify({ data: { identity: request.headers["x-identity"] } }));
    });
    const source = (headers: Record<string, string>) =>
      new RemoteGraphQLDataSource({
        url: `${server!.url}/graphql`,
        fetcher: fetcher.fetch,
        willSendRequest({ request }) {
          for (const [name, value] of Object.entries(headers))
            request.http?.headers.set(name, value);
        },
      });
    // A health check needs no incoming request; its kind's enum is not exported, so its value.
    const send = (dataSource: RemoteGraphQLDataSource) =>
      dataSource.process({
        kind: "health check",
        request: { query: "{ identity }" },
        context: {},
      } as Parameters<RemoteGraphQLDataSource["process"]>[0]);

    const answer = await send(source({ "X-Identity": "signed" }));
    const failure = send(source({ "x-fail": "1" }));

    expect(answer.data).toEqual({ identity: "signed" });
    expect(answer.http?.headers.get("content-type")).toBe("application/graphql-response+json");
    await expect(failure).rejects.toMatchObject({
      message: "500: Internal Server Error",
      extensions: { response: { status: 500, body: { message: "boom" } } },
    });
  });
});
