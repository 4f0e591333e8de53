import type { ApolloServerPlugin } from "@apollo/server";

/**
 * Apollo Sandbox as the landing page, with the HTTP endpoint locked to this gateway and the
 * subscription endpoint preset to the same path over WebSocket (graphql-ws). Apollo's own
 * landing page plugin cannot preset the subscription endpoint.
 */
export function sandboxLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: SANDBOX_HTML };
        },
      };
    },
  };
}

const SANDBOX_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Pulse API · Apollo Sandbox</title>
  <style>html, body, #sandbox { height: 100%; width: 100%; margin: 0; }</style>
</head>
<body>
  <div id="sandbox"></div>
  <script src="https://embeddable-sandbox.cdn.apollographql.com/_latest/embeddable-sandbox.umd.production.min.js"></script>
  <script>
    var endpoint = window.location.origin + window.location.pathname;
    new window.EmbeddedSandbox({
      target: "#sandbox",
      initialEndpoint: endpoint,
      initialSubscriptionEndpoint: endpoint.replace(/^http/, "ws"),
      endpointIsEditable: false,
      runTelemetry: false,
      initialState: { includeCookies: false, pollForSchemaUpdates: true },
    });
  </script>
</body>
</html>`;
