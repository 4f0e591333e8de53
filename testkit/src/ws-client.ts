import type { FormattedExecutionResult, GraphQLFormattedError } from "graphql";
import WebSocket from "ws";
import { loadContractOperations } from "../../scripts/lib/contract-operations.ts";

const operations = loadContractOperations();

export interface Closed {
  code: number;
  reason: string;
}

type OperationMessage =
  | { type: "next"; id: string; payload: FormattedExecutionResult }
  | { type: "error"; id: string; payload: GraphQLFormattedError[] }
  | { type: "complete"; id: string };
type Message = { type: "connection_ack" | "pong" | "ping" } | OperationMessage;

/**
 * A graphql-ws (graphql-transport-ws) client speaking the protocol by hand, so tests see exactly
 * what the gateway sends: every result, `error` and `complete`, and the socket's close code. It
 * never reconnects on its own.
 */
export class WsTestClient {
  /** Resolves with the close code and reason once the socket closed, whoever closed it. */
  readonly closed: Promise<Closed>;
  private readonly subscriptions = new Map<string, TestSubscription>();
  private nextId = 0;

  private constructor(private readonly socket: WebSocket) {
    this.closed = new Promise((resolve) =>
      socket.on("close", (code: number, reason: Buffer) =>
        resolve({ code, reason: reason.toString() }),
      ),
    );
    socket.on("message", (raw: Buffer) => this.receive(JSON.parse(raw.toString()) as Message));
  }

  /**
   * Opens a socket to the gateway's `/graphql` and sends `connection_init` with `token` as the
   * contract says. Resolves on `connection_ack`; rejects with the close code if the gateway refuses.
   */
  static connect(
    gatewayUrl: string,
    token?: string,
    options?: WebSocket.ClientOptions,
  ): Promise<WsTestClient> {
    return WsTestClient.open(
      gatewayUrl,
      token ? { authorization: `Bearer ${token}` } : {},
      options,
    );
  }

  /**
   * Opens a socket to `baseUrl`'s `/graphql` with this `connection_init` payload; `options` are
   * ws's (`autoPong: false` for a client that never answers pings).
   */
  static async open(
    baseUrl: string,
    payload: Record<string, unknown>,
    options: WebSocket.ClientOptions = {},
  ): Promise<WsTestClient> {
    const socket = new WebSocket(
      `${baseUrl.replace(/^http/, "ws")}/graphql`,
      "graphql-transport-ws",
      options,
    );
    const client = new WsTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload })));
      socket.once("error", reject);
      client.acked = resolve;
      void client.closed.then((closed) =>
        reject(Object.assign(new Error(`closed ${closed.code} ${closed.reason}`), closed)),
      );
    });
    return client;
  }

  private acked: (() => void) | null = null;

  /** Subscribes with contract operation `name` (or a document of its own). */
  subscribe(
    name: string,
    variables: Record<string, unknown> = {},
    query?: string,
    extensions?: Record<string, unknown>,
  ): TestSubscription {
    const text = query ?? operations.get(name);
    if (!text) throw new Error(`no contract operation named ${name}`);
    return this.subscribeWithPayload(
      JSON.stringify({
        query: text,
        variables,
        ...(query ? {} : { operationName: name }),
        ...(extensions ? { extensions } : {}),
      }),
    );
  }

  /**
   * Subscribes with a `subscribe` payload written by the caller as JSON text, for what
   * JSON.stringify cannot write (a number such as `1e400`).
   */
  subscribeWithPayload(payload: string): TestSubscription {
    const id = String(++this.nextId);
    const subscription = new TestSubscription(() =>
      this.socket.send(JSON.stringify({ id, type: "complete" })),
    );
    this.subscriptions.set(id, subscription);
    this.socket.send(`{"id":${JSON.stringify(id)},"type":"subscribe","payload":${payload}}`);
    return subscription;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): Promise<Closed> {
    this.socket.close(1000);
    return this.closed;
  }

  private receive(message: Message): void {
    if (message.type === "connection_ack") return this.acked?.();
    if (message.type === "ping") return this.socket.send(JSON.stringify({ type: "pong" }));
    if (message.type === "pong") return;
    const operation = message as OperationMessage;
    this.subscriptions.get(operation.id)?.receive(operation);
  }
}

/** One subscription's results as they arrive, with ways to wait for them. */
export class TestSubscription {
  readonly results: FormattedExecutionResult[] = [];
  /** Set when the gateway sent `complete` or `error`. */
  ended: { errors?: GraphQLFormattedError[] } | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly sendComplete: () => void) {}

  /** Resolves once at least `count` results arrived (or rejects if it ended before). */
  async results$(count: number): Promise<FormattedExecutionResult[]> {
    await this.until(() => this.results.length >= count || this.ended !== null);
    if (this.results.length < count) {
      throw new Error(`ended after ${this.results.length} results: ${JSON.stringify(this.ended)}`);
    }
    return this.results.slice(0, count);
  }

  /** Resolves once the gateway ended the subscription (`complete` or `error`). */
  async end(): Promise<{ errors?: GraphQLFormattedError[] }> {
    await this.until(() => this.ended !== null);
    return this.ended!;
  }

  unsubscribe(): void {
    this.sendComplete();
  }

  receive(message: OperationMessage): void {
    if (message.type === "next") this.results.push(message.payload);
    else if (message.type === "error") this.ended = { errors: message.payload };
    else this.ended = {};
    for (const wake of this.waiters) wake();
  }

  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        if (!condition()) return;
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
  }
}
