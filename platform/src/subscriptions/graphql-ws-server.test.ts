import type { AddressInfo, Socket } from "node:net";
import { buildSchema } from "graphql";
import type { Disposable } from "graphql-ws";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { serveGraphqlWs, UNWAITED_BACKLOG_BYTES } from "./graphql-ws-server.ts";

const schema = buildSchema("type Query { ok: Boolean } type Subscription { n: Int }");

let served: Disposable | undefined;
let client: WebSocket | undefined;
afterEach(async () => {
  client?.terminate();
  await served?.dispose();
  served = undefined;
});

/**
 * A server whose one subscription streams `count` results of `bytes` padding each, as fast as
 * they are taken, noting before each how many bytes its socket held unsent, and counting the
 * writes its TCP socket makes (Node's streams write through `_write` or, with several chunks
 * buffered, `_writev`); and a raw client subscribed to it, holding its own TCP socket.
 */
async function subscribeTo(count: number, bytes: number) {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  const unsentBeforeEach: number[] = [];
  const serverWrites = { count: 0 };
  server.on("connection", (_socket, request) => {
    type Writes = Record<"_write" | "_writev", (...args: unknown[]) => void>;
    const tcp = request.socket as unknown as Writes;
    for (const method of ["_write", "_writev"] as const) {
      const write = tcp[method].bind(tcp);
      tcp[method] = (...args) => {
        serverWrites.count += 1;
        write(...args);
      };
    }
  });
  served = serveGraphqlWs(
    {
      schema,
      context: (ctx) => ({ socket: ctx.extra.socket }),
      subscribe: async function* ({ contextValue }) {
        const { socket } = contextValue as { socket: WebSocket };
        for (let n = 0; n < count; n += 1) {
          unsentBeforeEach.push(socket.bufferedAmount);
          yield { data: { n }, extensions: { pad: "x".repeat(bytes) } };
        }
      },
    },
    server,
  );
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const subscriber = new WebSocket(`ws://127.0.0.1:${port}`, "graphql-transport-ws");
  client = subscriber;
  const tcp = new Promise<Socket>((resolve) =>
    subscriber.once("upgrade", (response) => resolve(response.socket as Socket)),
  );
  const received: number[] = [];
  subscriber.on("message", (data) => {
    const message = JSON.parse(String(data)) as { type: string; payload?: { data: { n: number } } };
    if (message.type === "connection_ack") {
      subscriber.send(
        JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { n }" } }),
      );
    }
    if (message.type === "next") received.push(message.payload!.data.n);
  });
  await new Promise((resolve) => subscriber.once("open", resolve));
  subscriber.send(JSON.stringify({ type: "connection_init" }));
  return { socket: await tcp, received, unsentBeforeEach, serverWrites };
}

describe("serveGraphqlWs", () => {
  it("writes the results a subscription has ready in one turn together", async () => {
    const { received, serverWrites } = await subscribeTo(50, 100);
    await vi.waitFor(() => expect(received).toHaveLength(50), { timeout: 10_000 });
    expect(received).toEqual([...Array(50).keys()]);
    // The acknowledgement, then the results in one write (or a few); one write each is 51.
    expect(serverWrites.count).toBeLessThanOrEqual(4);
  });

  it("takes results only as fast as a client reads once it is a backlog behind", async () => {
    const count = 2000;
    const bytes = 32 * 1024;
    const { socket, received, unsentBeforeEach } = await subscribeTo(count, bytes);
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(0), { timeout: 10_000 });
    socket.pause();
    // 62.5 MiB is more than the kernel's buffers hold: the server's own backlog builds up.
    await vi.waitFor(
      () => expect(Math.max(...unsentBeforeEach)).toBeGreaterThanOrEqual(UNWAITED_BACKLOG_BYTES),
      { timeout: 10_000 },
    );
    // It took no result once the backlog was reached but the one that reached it.
    expect(Math.max(...unsentBeforeEach)).toBeLessThan(UNWAITED_BACKLOG_BYTES + 2 * bytes);
    expect(unsentBeforeEach.length).toBeLessThan(count);
    socket.resume();
    await vi.waitFor(() => expect(received).toHaveLength(count), { timeout: 10_000 });
    expect(received).toEqual([...Array(count).keys()]);
  });
});
