// The GraphiQL page the gateway serves in development: bundled from npm by the gateway
// (explorer-assets.ts), so it works offline. Subscriptions go over graphql-ws with the headers
// editor's Authorization in `connection_init`; two side panels sign in and load the contract's
// operations.
import "graphiql/style.css";
import "./panels.css";
import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createClient, type Client } from "graphql-ws";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { demoOperationsPlugin } from "./demo-operations-plugin.tsx";
import { endpointUrls, readExplorerConfig } from "./page-config.ts";
import { signInPlugin } from "./sign-in-plugin.tsx";
import "./monaco-workers.ts";

const config = readExplorerConfig();
const urls = endpointUrls(config.endpoint);

/** One lazy graphql-ws client per Authorization value: each socket speaks for one person. */
const sockets = new Map<string, Client>();
function socketFor(authorization: string | undefined): Client {
  const key = authorization ?? "";
  let client = sockets.get(key);
  if (!client) {
    client = createClient({
      url: urls.ws,
      connectionParams: authorization ? { authorization } : {},
    });
    sockets.set(key, client);
  }
  return client;
}

/** Queries and mutations over HTTP, subscriptions over the socket of the tab's Authorization. */
const fetcher: Fetcher = (params, options) =>
  createGraphiQLFetcher({ url: urls.http, wsClient: socketFor(authorizationOf(options?.headers)) })(
    params,
    options,
  );

function authorizationOf(headers: Record<string, unknown> | undefined): string | undefined {
  const entry = Object.entries(headers ?? {}).find(
    ([name]) => name.toLowerCase() === "authorization",
  );
  return typeof entry?.[1] === "string" ? entry[1] : undefined;
}

const root = document.getElementById("graphiql");
if (!root) throw new Error("#graphiql is missing");
createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      plugins={[signInPlugin(config), demoOperationsPlugin(config)]}
      defaultQuery={config.operations.find((operation) => operation.name === "Viewer")?.body}
      shouldPersistHeaders
    />
  </StrictMode>,
);
