import { randomUUID } from "node:crypto";
import { ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import type { IncomingMessage, Server } from "node:http";
import {
  getVariableValues,
  type GraphQLError,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from "graphql";
import type { ExecutionResult } from "graphql-ws";
import { Counter, Gauge, type Registry } from "prom-client";
import { WebSocketServer, type WebSocket } from "ws";
import {
  acceptGraphQLUpgrades,
  ErrorCode,
  pulseTracer,
  rateLimited,
  REQUEST_ID_ATTRIBUTE,
  traceContextOf,
  toGraphQLError,
  signForwardedIdentity,
  unauthenticated,
  serveGraphqlWs,
  type Logger,
  type Viewer,
} from "@pulse/platform/server";
import type { AccessTokenVerifier } from "../access-tokens.ts";
import { checkRequest, OPERATION_LIMITS } from "../limits/operation-limits.ts";
import type { TrustedDocuments } from "../limits/trusted-documents.ts";
import { clientAddress, type GatewayContext } from "../context.ts";
import { DeliveryTurns } from "./delivery-turns.ts";
import { EventExecutor, type SubgraphServiceFactory } from "./event-executor.ts";
import type { SharedFetches } from "./shared-fetches.ts";
import { FederatedSubscription } from "./federated-subscription.ts";
import type { SocketQuota } from "./socket-quota.ts";
import { asBadInput, SupergraphPlans, type SubscriptionPlan } from "./supergraph-plans.ts";
import { SharedUpstreams } from "./shared-upstreams.ts";
import { UpstreamConnections } from "./upstream.ts";

/** Close codes the gateway's sockets end with, besides graphql-ws's own. */
export const SubscriptionCloseCode = {
  /** The token was bad, or expired while the socket was open: reconnect with a fresh one. */
  Unauthorized: 4401,
  /** The person already has as many sockets open as allowed. */
  TooManySockets: 4429,
  /** The gateway is shutting down: reconnect, to another replica. */
  GoingAway: 1001,
  /** The client read too slowly and its buffer filled: reconnect and resume with `after`. */
  SlowConsumer: 1013,
} as const;

export interface SubscriptionLimits {
  subscriptionsPerSocket: number;
  /** Events one subscription may have waiting for a slow client before it is disconnected. */
  pendingEventsPerSubscription: number;
}

export interface SubscriptionServerOptions {
  /** The HTTP server whose `/graphql` upgrades become graphql-ws sockets. */
  server: Server;
  verifier: AccessTokenVerifier;
  gatewaySecret: string;
  trustProxy: boolean;
  /** The URL to reach subgraph `name` at, given the one the supergraph records. */
  subgraphUrl: (name: string, url: string) => string;
  buildService: SubgraphServiceFactory;
  /** Public subgraph answers the subscribers of events share (and queries offer them). */
  sharedFetches: SharedFetches;
  /** Which documents may be subscribed (the same manifest and mode as HTTP). */
  trustedDocuments: TrustedDocuments;
  limits: SubscriptionLimits;
  /** Places for each person's sockets, shared by every replica. */
  socketQuota: SocketQuota;
  /** How often each socket is pinged; one that has not answered the last ping by then is cut. */
  keepAliveMs: number;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  logger: Logger;
  registry: Registry;
}

/** What the gateway holds for one open socket. */
interface SocketState {
  viewer: Viewer | null;
  /** The place this socket holds in its person's quota (null for an anonymous socket). */
  place: string | null;
  clientIp: string;
  subscriptions: Set<FederatedSubscription>;
  /** Subscriptions accepted but still being set up (counted against the limit). */
  starting: number;
  /** When the socket's access token expires (null for an anonymous socket). */
  expiresAt: Date | null;
  expiry: NodeJS.Timeout | null;
  /** Set once the socket is to close when its subscriptions have had their last word. */
  closing: { code: number; reason: string } | null;
}

/** What onSubscribe hands graphql-ws's `subscribe` for one operation. */
interface PlannedSubscription {
  state: SocketState;
  socket: WebSocket;
  plans: SupergraphPlans;
  plan: SubscriptionPlan;
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** When its `subscribe` arrived: the stream starts from the events committed since. */
  receivedAt: Date;
}

const ANONYMOUS_IDENTITY_LIFETIME_MS = 24 * 3600_000;
const CLOSE_AFTER_LAST_WORD_MS = 1000;
const STRAGGLER_GRACE_MS = 5000;

/**
 * Federated subscriptions over graphql-ws on the gateway's `/graphql`. Each operation is planned
 * with the supergraph's query planner; its primary subscription goes to the subgraph owning the
 * root field over a shared upstream socket, and every event runs the rest of the plan with the
 * subscriber's identity before it is sent.
 */
export class SubscriptionServer {
  private plans: SupergraphPlans | null = null;
  private accepting = true;
  private readonly states = new Map<WebSocket, SocketState>();
  /** Frames as large as HTTP bodies may be, no larger: ws refuses a bigger one with 1009. */
  private readonly webSockets = new WebSocketServer({
    noServer: true,
    maxPayload: OPERATION_LIMITS.maxPayloadBytes,
  });
  private readonly upstream: UpstreamConnections;
  private readonly streams: SharedUpstreams;
  private readonly executor: EventExecutor;
  private readonly turns = new DeliveryTurns();
  private readonly served: { dispose(): void | Promise<void> };
  private readonly instruments: ReturnType<typeof subscriptionMetrics>;

  constructor(private readonly options: SubscriptionServerOptions) {
    this.upstream = new UpstreamConnections({
      gatewaySecret: options.gatewaySecret,
      logger: options.logger,
    });
    this.streams = new SharedUpstreams(this.upstream);
    this.instruments = subscriptionMetrics(options.registry, this);
    this.executor = new EventExecutor(options.buildService, options.sharedFetches, options.logger);
    acceptGraphQLUpgrades(options.server, this.webSockets, () => !this.accepting || !this.plans);
    this.served = this.serve(this.webSockets);
  }

  /** Sockets, subscriptions and the upstream subscriptions serving them, open now. */
  get counts() {
    let subscriptions = 0;
    for (const state of this.states.values()) subscriptions += state.subscriptions.size;
    return { sockets: this.states.size, subscriptions, upstreams: this.streams.open };
  }

  /**
   * Plans with a newly loaded supergraph. Open subscriptions whose operation is still valid stay
   * open (on the same upstream subscription when their primary fetch is unchanged).
   */
  updateSupergraph(supergraphSdl: string): void {
    const previous = this.plans;
    this.plans = new SupergraphPlans(supergraphSdl);
    if (!previous) return;
    for (const state of this.states.values()) {
      for (const subscription of state.subscriptions) subscription.replan(this.plans);
    }
  }

  /**
   * Graceful shutdown: refuses new sockets, stops listening upstream, delivers every event
   * already received, then closes each socket with 1001 so clients re-subscribe elsewhere.
   */
  async close(): Promise<void> {
    this.accepting = false;
    await Promise.all(
      [...this.states.values()].flatMap((state) =>
        [...state.subscriptions].map((subscription) => subscription.drain()),
      ),
    );
    // graphql-ws waits for each client's closing handshake; a client that stopped reading gets cut.
    const cutStragglers = setTimeout(() => {
      for (const socket of this.webSockets.clients) socket.terminate();
    }, STRAGGLER_GRACE_MS);
    await this.served.dispose();
    clearTimeout(cutStragglers);
    await this.upstream.close();
  }

  private serve(sockets: WebSocketServer) {
    const { options } = this;
    // The executor also reports plain Errors (a subgraph that cannot be reached).
    const format = (error: GraphQLError | Error) => {
      const graphQLError = toGraphQLError(error);
      return options.formatError(graphQLError.toJSON(), graphQLError);
    };
    return serveGraphqlWs<Record<string, unknown> | undefined>(
      {
        onConnect: async ({ connectionParams, extra }) =>
          this.accept(extra.socket, extra.request, connectionParams),
        onClose: ({ extra }) => this.forget(extra.socket),
        onSubscribe: (ctx, _id, payload) => {
          const receivedAt = new Date();
          const state = this.states.get(ctx.extra.socket);
          if (!state) return [unauthenticated()];
          if (state.closing) return [unauthenticated(state.closing.reason)];
          if (state.subscriptions.size + state.starting >= options.limits.subscriptionsPerSocket) {
            return [rateLimited(1)];
          }
          const untrusted = options.trustedDocuments.check(payload.query, payload.operationName);
          if (untrusted) return [untrusted];
          const plans = this.plans!;
          const planned = plans.plan(payload.query, payload.operationName ?? undefined);
          if (Array.isArray(planned)) return planned;
          const plan = planned as SubscriptionPlan;
          const refused = checkRequest(
            plans.apiSchema,
            plan.document,
            plan.operationContext.operation,
            payload.variables ?? undefined,
          );
          if (refused) return [refused];
          // Apollo coerces an HTTP request's variables; nothing would coerce a subscription's
          // before its subgraph, which would fail on a wrong type: the client's mistake.
          const coerced = getVariableValues(
            plans.apiSchema,
            plan.operationContext.operation.variableDefinitions ?? [],
            payload.variables ?? {},
          );
          if (coerced.errors) return coerced.errors.map(asBadInput);
          state.starting += 1;
          const context: PlannedSubscription = {
            state,
            socket: ctx.extra.socket,
            plans,
            plan,
            query: payload.query,
            operationName: payload.operationName ?? undefined,
            variables: payload.variables ?? {},
            receivedAt,
          };
          return {
            schema: plans.apiSchema,
            document: plan.document,
            variableValues: payload.variables ?? null,
            operationName: payload.operationName ?? null,
            contextValue: context,
          };
        },
        subscribe: (args) => this.start(args.contextValue as PlannedSubscription),
        onNext: (ctx, _id, _payload, _args, result) => {
          this.instruments.events.inc();
          if (!result.errors) return;
          const state = this.states.get(ctx.extra.socket);
          if (!state?.viewer && result.errors.some(isUnauthenticated)) {
            // An operation that needs a signed-in person, on an anonymous socket (contract: 4401).
            this.closeWhenQuiet(
              ctx.extra.socket,
              SubscriptionCloseCode.Unauthorized,
              "Unauthorized",
            );
          }
          return { ...result, errors: result.errors.map(format) } as FormattedExecutionResult;
        },
        onError: (_ctx, _id, _payload, errors) => errors.map(format),
      },
      sockets,
      options.keepAliveMs,
    );
  }

  private async accept(
    socket: WebSocket,
    request: IncomingMessage,
    params: Record<string, unknown> | undefined,
  ): Promise<boolean> {
    const authorization = authorizationParam(params);
    let session;
    try {
      session = await this.options.verifier.verifySession(authorization);
    } catch {
      socket.close(SubscriptionCloseCode.Unauthorized, "Unauthorized");
      return false;
    }
    const viewer = session?.viewer ?? null;
    const place = viewer ? await this.options.socketQuota.claim(viewer.id) : null;
    if (viewer && !place) {
      socket.close(SubscriptionCloseCode.TooManySockets, "Too many sockets for this person");
      return false;
    }
    if (socket.readyState !== socket.OPEN) {
      // Gone while its place was taken: forget() will not see it.
      if (place) this.options.socketQuota.release(place);
      return false;
    }
    const state: SocketState = {
      viewer,
      place,
      clientIp: clientAddress(request, this.options.trustProxy),
      subscriptions: new Set(),
      starting: 0,
      expiresAt: session?.expiresAt ?? null,
      expiry: null,
      closing: null,
    };
    if (session) {
      // setTimeout holds at most ~24.8 days; access tokens live minutes.
      const delay = Math.min(session.expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
      state.expiry = setTimeout(() => this.endSocket(socket, state, "Access token expired"), delay);
      state.expiry.unref();
    }
    this.states.set(socket, state);
    return true;
  }

  private async start(planned: PlannedSubscription): Promise<AsyncIterable<ExecutionResult>> {
    const { state, socket } = planned;
    const requestId = randomUUID();
    // Every event's entity fetches present it: it must hold as long as the subscription may.
    const forwardedIdentity = await signForwardedIdentity(
      { viewer: state.viewer, clientIp: state.clientIp, requestId },
      this.options.gatewaySecret,
      state.expiresAt ?? new Date(Date.now() + ANONYMOUS_IDENTITY_LIFETIME_MS),
    );
    const subscriber: GatewayContext = { requestId, viewer: state.viewer, forwardedIdentity };
    // The subscription's trace: its upstream subscribe carries it, each event's links back to it.
    const span = pulseTracer().startSpan(`subscribe ${planned.operationName ?? "anonymous"}`, {
      root: true,
      kind: SpanKind.SERVER,
      attributes: { [REQUEST_ID_ATTRIBUTE]: requestId },
    });
    const subscription: FederatedSubscription = new FederatedSubscription(
      {
        upstream: this.streams,
        executor: this.executor,
        turns: this.turns,
        subgraphUrl: this.options.subgraphUrl,
        maxPendingEvents: this.options.limits.pendingEventsPerSubscription,
        clientBacklogBytes: () => socket.bufferedAmount,
        onOverflow: () => {
          this.instruments.overflows.inc();
          this.options.logger.warn(
            {
              viewerId: state.viewer?.id,
              requestId,
              waiting: subscription.results.size,
              unreadBytes: socket.bufferedAmount,
            },
            "subscriber too slow, disconnecting",
          );
          socket.close(SubscriptionCloseCode.SlowConsumer, "Too slow: resubscribe with after");
        },
        onFinish: () => {
          state.subscriptions.delete(subscription);
          if (state.closing && state.subscriptions.size === 0) {
            this.closeWhenQuiet(socket, state.closing.code, state.closing.reason);
          }
        },
        logger: this.options.logger,
      },
      {
        query: planned.query,
        operationName: planned.operationName,
        variables: planned.variables,
        subscriber,
        receivedAt: planned.receivedAt,
        traceContext: traceContextOf(trace.setSpan(ROOT_CONTEXT, span)),
      },
      planned.plans,
      planned.plan,
    );
    span.end();
    state.starting -= 1;
    state.subscriptions.add(subscription);
    return subscription.results;
  }

  /** Sessions were signed out: their sockets end as if their tokens had expired. */
  endSessions(sessionIds: readonly string[]): void {
    const ended = new Set(sessionIds);
    for (const [socket, state] of this.states) {
      if (state.viewer && ended.has(state.viewer.sessionId)) {
        this.endSocket(socket, state, "This session has been signed out");
      }
    }
  }

  /** Each subscription of the socket ends with UNAUTHENTICATED (`reason`), then the socket. */
  private endSocket(socket: WebSocket, state: SocketState, reason: string): void {
    if (state.closing) return;
    if (state.expiry) clearTimeout(state.expiry);
    state.closing = { code: SubscriptionCloseCode.Unauthorized, reason };
    if (state.subscriptions.size === 0) {
      this.closeWhenQuiet(socket, state.closing.code, reason);
      return;
    }
    for (const subscription of state.subscriptions) {
      subscription.end({ errors: [unauthenticated(reason)] });
    }
    // A client that stopped reading does not get to keep the socket.
    setTimeout(
      () => socket.close(SubscriptionCloseCode.Unauthorized, reason),
      CLOSE_AFTER_LAST_WORD_MS,
    ).unref();
  }

  /** Closes once graphql-ws has written what it is sending now (the last result, `complete`). */
  private closeWhenQuiet(socket: WebSocket, code: number, reason: string): void {
    setImmediate(() => socket.close(code, reason));
  }

  private forget(socket: WebSocket): void {
    const state = this.states.get(socket);
    if (!state) return;
    this.states.delete(socket);
    if (state.expiry) clearTimeout(state.expiry);
    if (state.place) this.options.socketQuota.release(state.place);
  }
}

/**
 * `authorization` from `connection_init`, as the contract says; any capitalisation, since Apollo
 * Sandbox sends its connection headers as typed (`Authorization`).
 */
function authorizationParam(params: Record<string, unknown> | undefined): string | undefined {
  for (const [key, value] of Object.entries(params ?? {})) {
    if (key.toLowerCase() === "authorization" && typeof value === "string") return value;
  }
  return undefined;
}

function isUnauthenticated(error: GraphQLError): boolean {
  return error.extensions?.code === ErrorCode.UNAUTHENTICATED;
}

function subscriptionMetrics(registry: Registry, server: SubscriptionServer) {
  new Gauge({
    name: "gateway_subscription_sockets",
    help: "graphql-ws sockets open",
    registers: [registry],
    collect() {
      this.set(server.counts.sockets);
    },
  });
  new Gauge({
    name: "gateway_subscriptions",
    help: "Subscriptions open",
    registers: [registry],
    collect() {
      this.set(server.counts.subscriptions);
    },
  });
  new Gauge({
    name: "gateway_subscription_upstreams",
    help: "Primary subscriptions open to subgraphs (subscribers in the same state share one)",
    registers: [registry],
    collect() {
      this.set(server.counts.upstreams);
    },
  });
  return {
    events: new Counter({
      name: "gateway_subscription_events_total",
      help: "Subscription results sent to clients",
      registers: [registry],
    }),
    overflows: new Counter({
      name: "gateway_subscription_overflows_total",
      help: "Clients disconnected for reading too slowly",
      registers: [registry],
    }),
  };
}
