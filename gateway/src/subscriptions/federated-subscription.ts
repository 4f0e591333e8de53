import { context, SpanKind, trace } from "@opentelemetry/api";
import {
  contextFrom,
  EventQueue,
  pulseTracer,
  REQUEST_ID_ATTRIBUTE,
  RESUME_AFTER_EXTENSION,
  SUBSCRIBED_AT_EXTENSION,
  SUBSCRIBER_IDENTITY_EXTENSION,
  TRACE_CONTEXT_EXTENSION,
  type Logger,
} from "@pulse/platform/server";
import type { ExecutionResult } from "graphql-ws";
import { GraphQLError } from "graphql";
import type { GatewayContext } from "../context.ts";
import type { DeliveryTurns } from "./delivery-turns.ts";
import type { EventExecutor } from "./event-executor.ts";
import { samePrimary, type SupergraphPlans, type SubscriptionPlan } from "./supergraph-plans.ts";
import type { UpstreamSubscriber } from "./upstream.ts";

/** How many events per allowed pending one may be in resolution or waiting at once. */
export const RESOLVING_PER_PENDING = 10;

/**
 * Bytes left unread on a client's socket that mark it slow: more than the kernel's buffers take
 * from a client that keeps reading.
 */
export const SLOW_CLIENT_BACKLOG_BYTES = 64 * 1024;

export interface FederatedSubscriptionDeps {
  /** Where primary subscriptions go (shared between subscribers where they can be). */
  upstream: UpstreamSubscriber;
  executor: EventExecutor;
  /** When a resolved event may go to the client: a turn of the event loop takes a bounded number. */
  turns: DeliveryTurns;
  /** The URL to reach subgraph `name` at, given the one the supergraph records. */
  subgraphUrl: (name: string, url: string) => string;
  /**
   * Resolved events one subscriber may have waiting for its socket, while the socket itself is
   * backed up, before it is dropped as too slow. Events waiting or still being resolved may reach
   * {@link RESOLVING_PER_PENDING} times as many whatever the socket, so that a burst the gateway
   * is still resolving or writing (one update of a shared stream reaches every subscriber at
   * once) does not count against a client that reads as fast as it is written to.
   */
  maxPendingEvents: number;
  /** Bytes written to the client's socket that it has not taken yet. */
  clientBacklogBytes: () => number;
  /** Called when the subscriber fell `maxPendingEvents` behind. */
  onOverflow: () => void;
  /** Called once the client has its last result or unsubscribed. */
  onFinish: () => void;
  logger: Logger;
}

export interface SubscriptionRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  subscriber: GatewayContext;
  /**
   * When the client's `subscribe` reached the gateway. The upstream subscription starts from the
   * events committed since then, however long it takes to set up.
   */
  receivedAt: Date;
  /** The trace of the client's subscribe (W3C), sent with every upstream subscribe, if traced. */
  traceContext?: Record<string, string> | undefined;
}

/**
 * One client subscription through the gateway: its primary subscription to the subgraph that
 * owns the root field, and, per event, the rest of the plan. Events are resolved one after
 * another and reach the client in the order the subgraph sent them.
 */
export class FederatedSubscription {
  /** What graphql-ws sends to the client. */
  readonly results: EventQueue<ExecutionResult>;
  private plans: SupergraphPlans;
  private plan: SubscriptionPlan;
  private unsubscribe: (() => void) | null = null;
  /**
   * The upstream subscription's `extensions`, which graphql-ws re-sends as they are when its socket
   * reconnects: the last resume position an event carried goes there, so the stream picks up
   * after it with nothing lost or repeated.
   */
  private upstreamExtensions: Record<string, unknown> = {};
  /** Every event's resolution, chained so that results keep the events' order. */
  private chain: Promise<void> = Promise.resolve();
  private resolving = 0;
  private stopped = false;

  constructor(
    private readonly deps: FederatedSubscriptionDeps,
    readonly request: SubscriptionRequest,
    plans: SupergraphPlans,
    plan: SubscriptionPlan,
  ) {
    this.plans = plans;
    this.plan = plan;
    this.results = new EventQueue(() => {
      this.stopUpstream();
      this.stopped = true;
      deps.onFinish();
    });
    this.subscribeUpstream(undefined, request.receivedAt);
  }

  /** Whether the client fell too far behind: its events pile up instead of being sent. */
  private get overflowing(): boolean {
    const { maxPendingEvents } = this.deps;
    return (
      (this.results.size >= maxPendingEvents &&
        this.deps.clientBacklogBytes() >= SLOW_CLIENT_BACKLOG_BYTES) ||
      this.resolving + this.results.size >= maxPendingEvents * RESOLVING_PER_PENDING
    );
  }

  /**
   * Moves to a reloaded supergraph: the same primary at the same URL keeps its upstream
   * subscription; a different one re-subscribes. Re-subscribing to the same subgraph (its
   * operation or URL changed) resumes after the last event received, so nothing is missed or
   * repeated; a primary that moved to another subgraph starts afresh there, from the events
   * committed since the reload, since a position means something only to the subgraph that gave
   * it. An operation no longer valid ends with its errors.
   */
  replan(plans: SupergraphPlans): void {
    const planned = plans.plan(this.request.query, this.request.operationName);
    if (Array.isArray(planned)) {
      this.end({ errors: [...planned] });
      return;
    }
    const plan = planned as SubscriptionPlan;
    const before = this.plan.primary;
    const after = plan.primary;
    const keep =
      samePrimary(after, before) &&
      plans.subgraphUrls.get(after.serviceName) === this.plans.subgraphUrls.get(before.serviceName);
    const moved = after.serviceName !== before.serviceName;
    const resumeAfter = moved ? undefined : this.upstreamExtensions[RESUME_AFTER_EXTENSION];
    this.plans = plans;
    this.plan = plan;
    if (!keep) {
      this.stopUpstream();
      this.subscribeUpstream(resumeAfter, moved ? new Date() : this.request.receivedAt);
    }
  }

  /** Stops listening upstream, delivers what is in flight, then `last` (if any), then completes. */
  end(last?: ExecutionResult): void {
    this.stopUpstream();
    this.stopped = true;
    this.chain = this.chain.then(() => {
      if (last) this.results.push(last);
      this.results.end();
    });
  }

  /**
   * For shutdown: stops listening upstream and resolves once every event already received has
   * been handed to the socket. The client is not told the subscription completed: its socket
   * closes with 1001 and it re-subscribes elsewhere.
   */
  async drain(): Promise<void> {
    this.stopUpstream();
    this.stopped = true;
    await this.chain;
    await this.results.whenEmpty();
  }

  /**
   * Subscribes to the primary's subgraph: after `resumeAfter` (a position it gave) if any, else
   * from the events committed since `since`.
   */
  private subscribeUpstream(resumeAfter: unknown, since: Date): void {
    const { primary } = this.plan;
    const { subscriber, variables } = this.request;
    const url = this.plans.subgraphUrls.get(primary.serviceName);
    if (!url) {
      this.end({ errors: [new GraphQLError(`Unknown subgraph ${primary.serviceName}`)] });
      return;
    }
    const primaryVariables: Record<string, unknown> = {};
    for (const name of primary.variableUsages ?? []) {
      if (variables[name] !== undefined) primaryVariables[name] = variables[name];
    }
    this.upstreamExtensions = {
      [SUBSCRIBER_IDENTITY_EXTENSION]: subscriber.forwardedIdentity,
      [SUBSCRIBED_AT_EXTENSION]: since.toISOString(),
      ...(typeof resumeAfter === "string" && { [RESUME_AFTER_EXTENSION]: resumeAfter }),
      ...(this.request.traceContext && { [TRACE_CONTEXT_EXTENSION]: this.request.traceContext }),
    };
    this.unsubscribe = this.deps.upstream.subscribe(
      this.deps.subgraphUrl(primary.serviceName, url),
      {
        query: primary.operation,
        ...(primary.operationName ? { operationName: primary.operationName } : {}),
        variables: primaryVariables,
        extensions: this.upstreamExtensions,
      },
      {
        next: (event) => this.receive(event),
        error: (error) => this.end({ errors: upstreamErrors(error) }),
        complete: () => {
          if (!this.stopped) this.end();
        },
      },
    );
  }

  private receive(event: ExecutionResult): void {
    if (this.stopped) return;
    const resumeAfter = event.extensions?.[RESUME_AFTER_EXTENSION];
    if (typeof resumeAfter === "string")
      this.upstreamExtensions[RESUME_AFTER_EXTENSION] = resumeAfter;
    if (this.overflowing) {
      this.stopUpstream();
      this.stopped = true;
      this.deps.onOverflow();
      return;
    }
    this.resolving += 1;
    const { plans, plan } = this;
    // The event's delivery joins the trace the subgraph started for the event (a root of its
    // own when the subgraph does not trace), from its arrival until it is handed to the socket.
    const parent = contextFrom(event.extensions);
    const span = pulseTracer().startSpan(
      `subscription event ${this.request.operationName ?? "anonymous"}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { [REQUEST_ID_ATTRIBUTE]: this.request.subscriber.requestId },
      },
      parent,
    );
    const traced = trace.setSpan(parent, span);
    this.chain = this.chain.then(async () => {
      let result: ExecutionResult;
      try {
        result = await context.with(traced, () =>
          this.deps.executor.run(
            plans,
            plan,
            event,
            this.request.subscriber,
            this.request.variables,
          ),
        );
      } catch (error) {
        this.deps.logger.error({ err: error }, "subscription event failed");
        result = { errors: [new GraphQLError("Internal server error")] };
      }
      await this.deps.turns.take();
      this.resolving -= 1;
      this.results.push(result);
      span.end();
    });
  }

  private stopUpstream(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

/** What a subgraph's `error` message (or a fatal close of its socket) becomes for the client. */
function upstreamErrors(error: unknown): GraphQLError[] {
  if (Array.isArray(error)) {
    return error.map(
      (item: { message: string; extensions?: Record<string, unknown> }) =>
        new GraphQLError(item.message, item.extensions ? { extensions: item.extensions } : {}),
    );
  }
  return [new GraphQLError("The subscription's subgraph is unavailable")];
}
