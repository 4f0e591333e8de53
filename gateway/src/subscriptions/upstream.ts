import {
  createClient,
  type Client,
  type ExecutionResult,
  type Sink,
  type SubscribePayload,
} from "graphql-ws";
import WebSocket from "ws";
import {
  GATEWAY_CONNECTION_PARAM,
  signForwardedIdentity,
  type Logger,
} from "@pulse/platform/server";

export interface UpstreamOptions {
  gatewaySecret: string;
  logger: Logger;
  /** Longest wait between reconnection attempts to a subgraph. */
  maxRetryWaitMs?: number;
}

/** Subscribes upstream; returns the function that unsubscribes. */
export interface UpstreamSubscriber {
  subscribe(httpUrl: string, payload: SubscribePayload, sink: Sink<ExecutionResult>): () => void;
}

/**
 * The gateway's graphql-ws sockets to subgraphs: one per subgraph URL, shared by every primary
 * subscription to it. When a subgraph restarts or a replica goes away (1001), the socket
 * reconnects with backoff and graphql-ws re-sends each active subscription.
 */
export class UpstreamConnections implements UpstreamSubscriber {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: UpstreamOptions) {}

  /** Subscribes through the subgraph at `httpUrl`; returns the function that unsubscribes. */
  subscribe(httpUrl: string, payload: SubscribePayload, sink: Sink<ExecutionResult>): () => void {
    return this.client(httpUrl).subscribe(payload, sink);
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.dispose()));
    this.clients.clear();
  }

  private client(httpUrl: string): Client {
    const existing = this.clients.get(httpUrl);
    if (existing) return existing;
    const { gatewaySecret, logger, maxRetryWaitMs = 5000 } = this.options;
    const url = httpUrl.replace(/^http/, "ws");
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      keepAlive: 10_000,
      retryAttempts: Number.MAX_SAFE_INTEGER,
      shouldRetry: () => true,
      // Exponential backoff with jitter, so replicas of the gateway do not reconnect in step.
      retryWait: (retries) =>
        new Promise((resolve) =>
          setTimeout(
            resolve,
            Math.min(maxRetryWaitMs, 100 * 2 ** retries) * (0.5 + Math.random() / 2),
          ),
        ),
      connectionParams: async () => ({
        [GATEWAY_CONNECTION_PARAM]: await signForwardedIdentity(
          { viewer: null, clientIp: "gateway", requestId: "upstream" },
          gatewaySecret,
        ),
      }),
      on: {
        connected: () => logger.info({ url }, "subscription upstream connected"),
        closed: (event) => {
          const { code, reason } = event as { code?: number; reason?: string };
          logger.info({ url, code, reason }, "subscription upstream closed");
        },
      },
    });
    this.clients.set(httpUrl, client);
    return client;
  }
}
