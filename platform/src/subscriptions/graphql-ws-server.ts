import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import {
  CloseCode,
  handleProtocols,
  makeServer,
  type ConnectionInitMessage,
  type Disposable,
  type ServerOptions,
} from "graphql-ws";
import type { Extra } from "graphql-ws/use/ws";
import type { WebSocket, WebSocketServer } from "ws";
import { keepAlive, KEEP_ALIVE_MS } from "./keep-alive.ts";

/**
 * Bytes a socket may hold unsent and still take a result without waiting for it to be written.
 * Below it, every result of one turn of the event loop leaves in one write; at it, graphql-ws
 * waits for each write before it takes the subscription's next result, so results queue where
 * their owner sees a slow client (the gateway's overflow counts them).
 */
export const UNWAITED_BACKLOG_BYTES = 64 * 1024;

/**
 * Holds the writes of each socket sent to in one turn of the event loop until the turn ends, so
 * they leave in one system call: an update that reaches a subscriber as many events (several
 * places of a top moving) costs one write, not one per event.
 */
class TurnWrites {
  private readonly held = new Set<Socket>();

  hold(socket: Socket): void {
    if (this.held.has(socket)) return;
    if (this.held.size === 0) setImmediate(() => this.release());
    this.held.add(socket);
    socket.cork();
  }

  private release(): void {
    for (const socket of this.held) socket.uncork();
    this.held.clear();
  }
}

type Payload = ConnectionInitMessage["payload"];

/**
 * graphql-ws on `server`, as graphql-ws's own `useServer` (graphql-ws/use/ws) serves it except:
 * sockets are kept alive by {@link keepAlive}, and a result is written without waiting for the
 * previous one to reach the kernel while the socket keeps up (see {@link UNWAITED_BACKLOG_BYTES}),
 * with the writes of a turn coalesced. How the gateway and every subgraph serve graphql-ws.
 */
export function serveGraphqlWs<P extends Payload = Payload>(
  options: ServerOptions<P, Extra>,
  server: WebSocketServer,
  keepAliveMs: number = KEEP_ALIVE_MS,
): Disposable {
  const graphqlWs = makeServer<P, Extra>(options);
  const writes = new TurnWrites();
  server.options.handleProtocols = handleProtocols;
  server.on("connection", (socket: WebSocket, request: IncomingMessage) => {
    socket.once("error", (error) => {
      console.error("graphql-ws socket error", error);
      socket.close(CloseCode.InternalServerError, "Internal server error");
    });
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (socket.readyState !== socket.OPEN) return;
          writes.hold(request.socket);
          if (socket.bufferedAmount < UNWAITED_BACKLOG_BYTES) {
            socket.send(data);
            return;
          }
          return new Promise<void>((resolve, reject) => {
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          });
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", async (message) => {
            try {
              await handle(String(message));
            } catch (error) {
              console.error("graphql-ws message handling failed", error);
              socket.close(CloseCode.InternalServerError, "Internal server error");
            }
          }),
      },
      { socket, request },
    );
    socket.once("close", (code, reason) => closed(code, String(reason)));
  });
  keepAlive(server, keepAliveMs);
  return {
    dispose: async () => {
      for (const client of server.clients) client.close(1001, "Going away");
      server.removeAllListeners();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
