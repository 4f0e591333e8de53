import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { keepAlive } from "./keep-alive.ts";

// Long enough that an answering client on a busy machine answers in time.
const INTERVAL_MS = 250;

let server: WebSocketServer | undefined;
afterEach(async () => {
  for (const socket of server?.clients ?? []) socket.terminate();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A client of a server pinging every INTERVAL_MS, counting the pings it gets. */
async function connect(options: { autoPong: boolean }) {
  server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  keepAlive(server, INTERVAL_MS);
  await new Promise((resolve) => server!.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong: options.autoPong });
  const received = { pings: 0 };
  client.on("ping", () => (received.pings += 1));
  const closed = new Promise<number>((resolve) => client.once("close", resolve));
  await new Promise((resolve) => client.once("open", resolve));
  return { client, received, closed };
}

describe("keepAlive", () => {
  it("pings an answering socket every interval and keeps it open", async () => {
    const { client, received } = await connect({ autoPong: true });
    await vi.waitFor(() => expect(received.pings).toBeGreaterThanOrEqual(4), {
      timeout: 10_000,
    });
    expect(client.readyState).toBe(WebSocket.OPEN);
    client.close();
  });

  it("cuts a socket that has not answered its ping by the next one", async () => {
    const { received, closed } = await connect({ autoPong: false });
    // Terminated, not closed with a handshake: a peer that does not answer would not answer that.
    expect(await closed).toBe(1006);
    expect(received.pings).toBe(1);
    await vi.waitFor(() => expect(server!.clients.size).toBe(0));
  });
});
