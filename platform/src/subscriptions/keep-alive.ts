import type { WebSocket, WebSocketServer } from "ws";

/** graphql-ws's own default: every socket is pinged this often. */
export const KEEP_ALIVE_MS = 12_000;

/**
 * Pings every socket of `server` each `intervalMs` and cuts one that has not answered the
 * previous ping by then: the keep-alive graphql-ws does, for `useServer(..., server, 0)`.
 *
 * graphql-ws arms a timeout and adds a `once("pong")` listener for every ping of every socket.
 * With 10,000 sockets that is a steady stream of garbage, some of it long-lived enough for
 * scavenges to copy (`pnpm bench:keepalive`, figures in bench/RESULTS.md, ADR 0014). Here a socket has one pong
 * listener and one flag for its life.
 */
export function keepAlive(server: WebSocketServer, intervalMs: number = KEEP_ALIVE_MS): void {
  server.on("connection", (socket: WebSocket) => {
    let answered = true;
    socket.on("pong", () => {
      answered = true;
    });
    const pings = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      if (!answered) {
        socket.terminate();
        return;
      }
      answered = false;
      socket.ping();
    }, intervalMs);
    socket.once("close", () => clearInterval(pings));
  });
}
