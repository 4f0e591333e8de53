/**
 * How the gateway and a subgraph speak graphql-ws to each other. The gateway multiplexes every
 * subscriber's primary subscription over a few sockets per subgraph, so who is subscribing
 * travels per subscription, not per socket:
 * - `connection_init` carries a gateway-signed identity with no viewer, proving the socket comes
 *   from the gateway;
 * - every `subscribe` carries the subscriber's gateway-signed identity in its `extensions`.
 */

/** The `connection_init` payload field holding the gateway's signed proof of origin. */
export const GATEWAY_CONNECTION_PARAM = "gatewayIdentity";

/** The `subscribe` payload extension holding the subscriber's signed identity. */
export const SUBSCRIBER_IDENTITY_EXTENSION = "subscriberIdentity";
