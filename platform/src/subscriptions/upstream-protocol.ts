/**
 * How the gateway and a subgraph speak graphql-ws to each other. The gateway multiplexes every
 * subscriber's primary subscription over a few sockets per subgraph, so who is subscribing
 * travels per subscription, not per socket:
 * - `connection_init` carries a gateway-signed identity with no viewer, proving the socket comes
 *   from the gateway;
 * - every `subscribe` carries the subscriber's gateway-signed identity in its `extensions`;
 * - a resumable stream's events carry their position, and the gateway's `subscribe` carries the
 *   last one it received once it has one, so a re-subscription picks up where the stream was;
 * - every `subscribe` carries when the client's own `subscribe` reached the gateway, so a stream
 *   with no position yet starts from what was committed since then, not since the subgraph heard;
 * - when they trace, both carry W3C trace context: the subscribe's, and each event's.
 */

/** The `connection_init` payload field holding the gateway's signed proof of origin. */
export const GATEWAY_CONNECTION_PARAM = "gatewayIdentity";

/** The `subscribe` payload extension holding the subscriber's signed identity. */
export const SUBSCRIBER_IDENTITY_EXTENSION = "subscriberIdentity";

/**
 * Both ways, for resumable streams (`StreamResume`): in a `next` payload's `extensions`, the
 * position that event reached; in a `subscribe` payload's, the last position the gateway received.
 * graphql-ws re-sends a subscription's payload as it is when its socket reconnects, so the gateway
 * keeps the position there and the subgraph starts the stream after it.
 */
export const RESUME_AFTER_EXTENSION = "resumeAfter";

/**
 * In a `subscribe` payload's `extensions`: when the client's `subscribe` reached the gateway (an
 * ISO 8601 instant of the gateway's clock). A resumable stream with no position to resume from
 * starts with what was committed since then (see `StreamResume.since`), so an event committed
 * while the gateway was still setting up the upstream subscription (planning, a socket still
 * connecting, a slow hop) is not lost. A resume position, once there is one, takes precedence.
 */
export const SUBSCRIBED_AT_EXTENSION = "subscribedAt";

/**
 * Both ways, when tracing: in a `subscribe` payload's `extensions`, the trace of the client's
 * subscribe; in a `next` payload's, the trace the subgraph started for that event, which the
 * gateway's delivery joins. W3C fields: `{ traceparent, tracestate }`.
 */
export const TRACE_CONTEXT_EXTENSION = "traceContext";

/**
 * In a `next` payload's `extensions`: an opaque name for the state the event left its stream in,
 * when that state is all the stream's later events depend on (not who subscribed, nor when). Every
 * subscription to the same subgraph with the same operation and variables whose last event carried
 * the same name gets the same events from there on, so the gateway may serve them all from one
 * upstream subscription. Only streams whose operation selects no field marked `PerViewer` carry it.
 */
export const SHARED_STATE_EXTENSION = "sharedState";
