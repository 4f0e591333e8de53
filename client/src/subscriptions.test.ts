import type { AddressInfo } from "node:net";
import { buildSchema } from "graphql";
import { createClient } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { subscribeResuming } from "./subscriptions.ts";

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Tick { n: Int!, cursor: String! }
  type Subscription { ticks(after: String): Tick! }
`);

const TICKS = `subscription Ticks($after: String) { ticks(after: $after) { n cursor } }`;
const LAST_TICK = 5;

/**
 * A graphql-ws server of `ticks` 1..5, each with its number as cursor, resumed after `after`.
 * The first socket is cut after tick 2; sockets whose token is not `good` close with 4401.
 */
async function tickServer(options: { cutAfter?: number } = {}) {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  const requestedAfter: (string | null)[] = [];
  let connections = 0;
  useServer(
    {
      schema,
      onConnect: ({ connectionParams, extra }) => {
        if (connectionParams?.authorization !== "Bearer good") {
          extra.socket.close(4401, "Unauthorized");
          return false;
        }
        connections += 1;
        return true;
      },
      roots: {
        subscription: {
          async *ticks({ after }: { after?: string | null }) {
            requestedAfter.push(after ?? null);
            const connection = connections;
            for (let n = Number(after ?? 0) + 1; n <= LAST_TICK; n += 1) {
              yield { ticks: { n, cursor: String(n) } };
              if (connection === 1 && n === options.cutAfter) {
                for (const socket of wss.clients) socket.terminate();
                return;
              }
            }
          },
        },
      },
    },
    wss,
  );
  await new Promise((resolve) => wss.once("listening", resolve));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    requestedAfter,
    close: () => new Promise((resolve) => wss.close(resolve)),
  };
}

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function subscribeTicks(url: string, token: { value: string }, refreshes: string[] = []) {
  let connectedWith: string | undefined;
  const ws = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: () => {
      connectedWith = token.value;
      return { authorization: `Bearer ${token.value}` };
    },
  });
  closers.push(() => ws.dispose());
  const seen: number[] = [];
  let completed = false;
  const stop = subscribeResuming<{ ticks: { n: number; cursor: string } }>(
    {
      ws,
      backoff: { baseMs: 10, maxMs: 50 },
      connectedWith: () => connectedWith,
      refresh: async (refused) => {
        refreshes.push(refused ?? "");
        token.value = "good";
        return true;
      },
    },
    TICKS,
    {},
    {
      next: (result) => seen.push(result.data!.ticks.n),
      complete: () => (completed = true),
    },
  );
  closers.push(stop);
  return { seen, completed: () => completed };
}

describe("subscribeResuming", () => {
  it("resubscribes after a cut socket from the last delivered cursor: every tick once", async () => {
    const server = await tickServer({ cutAfter: 2 });
    closers.push(server.close);
    const ticks = subscribeTicks(server.url, { value: "good" });
    await expect.poll(ticks.completed).toBe(true);
    expect(ticks.seen).toEqual([1, 2, 3, 4, 5]);
    expect(server.requestedAfter).toEqual([null, "2"]);
  });

  it("refreshes the token a socket refused with 4401, then subscribes", async () => {
    const server = await tickServer();
    closers.push(server.close);
    const refreshes: string[] = [];
    const ticks = subscribeTicks(server.url, { value: "expired" }, refreshes);
    await expect.poll(ticks.completed).toBe(true);
    expect(ticks.seen).toEqual([1, 2, 3, 4, 5]);
    expect(refreshes).toEqual(["expired"]);
  });
});
