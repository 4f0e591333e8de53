// Many graphql-ws (graphql-transport-ws) client sockets in one process, with just enough of the
// protocol: connection_init/ack, subscribe, next/error/complete, ping/pong. Cheaper than a
// graphql-ws client per socket, so the driver measures the servers rather than itself.
import { performance } from "node:perf_hooks";
import WebSocket from "ws";

/** One person's socket, subscribed to their conversation's `messageAdded`. */
export interface Subscriber {
  index: number;
  userId: string;
  token: string;
  conversationId: string;
}

export interface DriverHandlers {
  /** A `next` result, with its receipt time (epoch milliseconds, sub-millisecond precision). */
  onNext(subscriber: Subscriber, payload: unknown, receivedAt: number): void;
  /** `error` or `complete` for the subscription, or the socket closed under it. */
  onEnd(subscriber: Subscriber, what: string): void;
}

export interface SubscribeRequest {
  query: string;
  operationName: string;
}

interface ServerMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

const CONNECT_TIMEOUT_MS = 60_000;

/** Epoch milliseconds with sub-millisecond precision, comparable across the process. */
export const now = (): number => performance.timeOrigin + performance.now();

/** The open sockets of one phase. */
export class SocketFleet {
  private readonly sockets: WebSocket[] = [];
  /** Each acknowledged socket's subscriber. */
  private readonly subscribers = new Map<WebSocket, Subscriber>();
  private closing = false;
  failures: string[] = [];

  /**
   * `request`, when given, is subscribed as id "1" on each socket as soon as it is acknowledged,
   * with the subscriber's conversation; without it the sockets stay idle until `subscribeAll`.
   */
  constructor(
    private readonly url: string,
    private readonly request: SubscribeRequest | undefined,
    private readonly handlers: DriverHandlers,
  ) {}

  get size(): number {
    return this.sockets.length;
  }

  /** Connects and subscribes every subscriber, `batch` at a time (each batch fully acked). */
  async connectAll(subscribers: Subscriber[], batch: number): Promise<void> {
    for (let start = 0; start < subscribers.length; start += batch) {
      const results = await Promise.allSettled(
        subscribers.slice(start, start + batch).map((subscriber) => this.connect(subscriber)),
      );
      for (const result of results) {
        if (result.status === "rejected") this.failures.push(String(result.reason));
      }
    }
  }

  /** Subscribes every open socket to `request` as `id`, with `variables` of its subscriber. */
  subscribeAll(
    request: SubscribeRequest,
    id: string,
    variables: (subscriber: Subscriber) => Record<string, unknown>,
  ): void {
    for (const [socket, subscriber] of this.subscribers) {
      subscribe(socket, request, id, variables(subscriber));
    }
  }

  /** Closes every socket (1000) and resolves once they are all closed. */
  async closeAll(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve();
            socket.once("close", () => resolve());
            socket.close(1000);
            // A server that never answers the close handshake does not hold the run up.
            setTimeout(() => {
              socket.terminate();
              resolve();
            }, 10_000).unref();
          }),
      ),
    );
    this.sockets.length = 0;
    this.subscribers.clear();
  }

  private connect(subscriber: Subscriber): Promise<void> {
    const socket = new WebSocket(
      `${this.url.replace(/^http/, "ws")}/graphql`,
      "graphql-transport-ws",
      {
        perMessageDeflate: false,
      },
    );
    this.sockets.push(socket);
    const send = (message: object) => socket.send(JSON.stringify(message));
    return new Promise<void>((resolve, reject) => {
      let acked = false;
      const timer = setTimeout(() => {
        reject(new Error(`socket ${subscriber.index}: no connection_ack in time`));
        socket.terminate();
      }, CONNECT_TIMEOUT_MS);
      socket.on("open", () =>
        send({ type: "connection_init", payload: { authorization: `Bearer ${subscriber.token}` } }),
      );
      socket.on("message", (raw: Buffer) => {
        const receivedAt = now();
        const message = JSON.parse(raw.toString()) as ServerMessage;
        switch (message.type) {
          case "next":
            return this.handlers.onNext(subscriber, message.payload, receivedAt);
          case "connection_ack":
            acked = true;
            clearTimeout(timer);
            this.subscribers.set(socket, subscriber);
            if (this.request) {
              subscribe(socket, this.request, "1", { conversationId: subscriber.conversationId });
            }
            return resolve();
          case "ping":
            return send({ type: "pong" });
          case "error":
            return this.handlers.onEnd(subscriber, `error ${JSON.stringify(message.payload)}`);
          case "complete":
            return this.handlers.onEnd(subscriber, "complete");
        }
      });
      socket.on("error", (error) => {
        if (!acked) {
          clearTimeout(timer);
          reject(error);
        }
      });
      socket.on("close", (code: number, reason: Buffer) => {
        if (!acked) {
          clearTimeout(timer);
          reject(new Error(`socket ${subscriber.index}: closed ${code} ${reason.toString()}`));
        } else if (!this.closing) {
          this.handlers.onEnd(subscriber, `socket closed ${code} ${reason.toString()}`);
        }
      });
    });
  }
}

function subscribe(
  socket: WebSocket,
  request: SubscribeRequest,
  id: string,
  variables: Record<string, unknown>,
): void {
  socket.send(JSON.stringify({ id, type: "subscribe", payload: { ...request, variables } }));
}
