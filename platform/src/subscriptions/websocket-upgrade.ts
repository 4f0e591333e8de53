import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";

/** The path every process of ours serves graphql-ws on, beside HTTP GraphQL. */
export const GRAPHQL_PATH = "/graphql";

/**
 * Hands `server`'s HTTP upgrades of {@link GRAPHQL_PATH} to `sockets` (a `noServer` server).
 * Another path answers 404; `unavailable` may answer 503 instead of upgrading (shutting down,
 * not ready), so a client retries elsewhere rather than opening a socket that cannot serve.
 */
export function acceptGraphQLUpgrades(
  server: Server,
  sockets: WebSocketServer,
  unavailable: () => boolean = () => false,
): void {
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((request.url ?? "").split("?")[0] !== GRAPHQL_PATH) return refuseUpgrade(socket, 404);
    if (unavailable()) return refuseUpgrade(socket, 503);
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit("connection", ws, request));
  });
}

/** Answers an upgrade request with a plain HTTP status and closes the connection. */
function refuseUpgrade(socket: Duplex, status: 404 | 503): void {
  const text = status === 404 ? "Not Found" : "Service Unavailable";
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
