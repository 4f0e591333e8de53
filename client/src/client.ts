import type { FormattedExecutionResult } from "graphql";
import { createClient, type Client } from "graphql-ws";
import { DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.ts";
import { operationNameOf, type PulseDocument, type VariablesOf } from "./document.ts";
import { isUnauthenticated } from "./errors.ts";
import { RefreshSessionDocument } from "./generated/graphql.ts";
import { postGraphQL } from "./http.ts";
import { SessionRefresher } from "./session-refresher.ts";
import { subscribeResuming, type SubscriptionSink } from "./subscriptions.ts";
import { memoryTokens, type TokenStore } from "./tokens.ts";

export interface PulseClientOptions {
  /** The gateway's GraphQL endpoint, `http(s)://…/graphql`; subscriptions use it over ws(s). */
  url: string;
  /** Where the session's tokens live; in memory when not given. */
  tokens?: TokenStore;
  /** Told when a refresh found the session over (the tokens are cleared by then). */
  onSignedOut?: () => void;
  /** Reconnection waits (exponential with full jitter). */
  backoff?: BackoffOptions;
  /** `fetch` to use; the global one by default. */
  fetch?: typeof fetch;
  /** A WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
}

export interface PulseClient {
  /** The token store the client reads and writes. */
  readonly tokens: TokenStore;
  /**
   * Runs a query or mutation over HTTP. An UNAUTHENTICATED answer to a signed-in request
   * refreshes the session once and runs it again.
   */
  request<Result, Variables>(
    document: PulseDocument<Result, Variables>,
    ...variables: OptionalIfEmpty<Variables>
  ): Promise<FormattedExecutionResult<Result>>;
  /**
   * Subscribes over graphql-ws, reconnecting with backoff, refreshing the token when it is
   * refused, and resuming from the last delivered cursor when the operation takes `$after`.
   * Returns the function that ends the subscription.
   */
  subscribe<Result, Variables>(
    document: PulseDocument<Result, Variables>,
    variables: VariablesOf<Variables>,
    sink: SubscriptionSink<Result>,
  ): () => void;
  /** Closes the socket and ends every subscription. */
  dispose(): Promise<void>;
}

type OptionalIfEmpty<Variables> =
  Variables extends Record<string, never> ? [variables?: Variables] : [variables: Variables];

/** A typed client of the Pulse API (see client/README.md). */
export function createPulseClient(options: PulseClientOptions): PulseClient {
  const tokens = options.tokens ?? memoryTokens();
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  const send = <Result>(text: string, variables: unknown, accessToken: string | undefined) =>
    postGraphQL<Result>(
      fetcher,
      options.url,
      {
        query: text,
        variables: variables as Record<string, unknown> | undefined,
        operationName: operationNameOf(text),
      },
      accessToken,
    );
  const refresher = new SessionRefresher(
    tokens,
    (refreshToken) => send(RefreshSessionDocument.toString(), { refreshToken }, undefined),
    options.onSignedOut,
  );
  let connectedWith: string | undefined;
  // Made on the first subscription, so that HTTP alone needs no WebSocket implementation.
  let ws: Client | undefined;
  const socket = () =>
    (ws ??= createClient({
      url: options.url.replace(/^http/, "ws"),
      webSocketImpl: options.webSocketImpl,
      lazy: true,
      // subscribeResuming retries, so that each subscription comes back with its own cursor.
      retryAttempts: 0,
      connectionParams: () => {
        connectedWith = tokens.get()?.accessToken;
        return connectedWith ? { authorization: `Bearer ${connectedWith}` } : {};
      },
    }));

  return {
    tokens,
    async request(document, ...[variables]) {
      const text = document.toString();
      const accessToken = tokens.get()?.accessToken;
      const result = await send<never>(text, variables, accessToken);
      if (!accessToken || !isUnauthenticated(result)) return result;
      if (!(await refresher.refresh(accessToken))) return result;
      return send(text, variables, tokens.get()?.accessToken);
    },
    subscribe(document, variables, sink) {
      return subscribeResuming(
        {
          ws: socket(),
          backoff: options.backoff ?? DEFAULT_BACKOFF,
          refresh: (refused) => refresher.refresh(refused),
          connectedWith: () => connectedWith,
        },
        document.toString(),
        variables as Record<string, unknown> | undefined,
        sink,
      );
    },
    dispose: async () => ws?.dispose(),
  };
}
