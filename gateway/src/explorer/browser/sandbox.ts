// Apollo Sandbox, for machines that reach Apollo: the embedding code comes from npm
// (@apollo/sandbox, pinned and checked by the lockfile) and is bundled by the gateway; the
// Sandbox application itself runs in an iframe from sandbox.embed.apollographql.com.
import { ApolloSandbox } from "@apollo/sandbox";
import { endpointUrls, readExplorerConfig } from "./page-config.ts";

const urls = endpointUrls(readExplorerConfig().endpoint);

new ApolloSandbox({
  target: "#sandbox",
  initialEndpoint: urls.http,
  initialSubscriptionEndpoint: urls.ws,
  endpointIsEditable: false,
  runTelemetry: false,
  initialState: { includeCookies: false, pollForSchemaUpdates: true },
});
