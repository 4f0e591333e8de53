import type { ExecutionResult, SubscribePayload } from "graphql-ws";
import { describe, expect, it, vi } from "vitest";
import {
  createLogger,
  RESUME_AFTER_EXTENSION,
  SUBSCRIBED_AT_EXTENSION,
} from "@pulse/platform/server";
import type { GatewayContext } from "../context.ts";
import { DeliveryTurns } from "./delivery-turns.ts";
import type { EventExecutor } from "./event-executor.ts";
import {
  FederatedSubscription,
  RESOLVING_PER_PENDING,
  SLOW_CLIENT_BACKLOG_BYTES,
} from "./federated-subscription.ts";
import type { SubscriptionPlan, SupergraphPlans } from "./supergraph-plans.ts";
import type { UpstreamConnections } from "./upstream.ts";

/** A promise with its resolver, to let each event's resolution finish when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** When the harness's client subscribed. */
const RECEIVED_AT = new Date("2026-12-07T10:00:00.000Z");

/** A subscription whose upstream events the test pushes and whose resolutions it releases. */
function harness(maxPendingEvents = 10, backlog = { bytes: SLOW_CLIENT_BACKLOG_BYTES }) {
  let sink!: { next(event: ExecutionResult): void };
  const resolutions: ReturnType<typeof deferred<ExecutionResult>>[] = [];
  const upstream = {
    subscribe: vi.fn((_url: string, _payload: unknown, upstreamSink: typeof sink) => {
      sink = upstreamSink;
      return unsubscribe;
    }),
  };
  const unsubscribe = vi.fn();
  const executor = {
    run: vi.fn(() => {
      const resolution = deferred<ExecutionResult>();
      resolutions.push(resolution);
      return resolution.promise;
    }),
  };
  const onOverflow = vi.fn();
  const plans = { subgraphUrls: new Map([["chat", "http://chat/graphql"]]) };
  const plan = { primary: { serviceName: "chat", operation: "subscription { x }" } };
  const subscription = new FederatedSubscription(
    {
      upstream: upstream as unknown as UpstreamConnections,
      executor: executor as unknown as EventExecutor,
      turns: new DeliveryTurns(),
      subgraphUrl: (_name, url) => url,
      maxPendingEvents,
      clientBacklogBytes: () => backlog.bytes,
      onOverflow,
      onFinish: vi.fn(),
      logger: createLogger("test", "silent"),
    },
    {
      query: "subscription { x }",
      operationName: undefined,
      variables: {},
      subscriber: { forwardedIdentity: "signed" } as GatewayContext,
      receivedAt: RECEIVED_AT,
    },
    plans as unknown as SupergraphPlans,
    plan as unknown as SubscriptionPlan,
  );
  const event = (n: number, extensions?: Record<string, unknown>) =>
    sink.next({ data: { x: n }, ...(extensions ? { extensions } : {}) });
  const upstreamPayload = (call = 0) => upstream.subscribe.mock.calls[call]![1] as SubscribePayload;
  /** Reloads onto a supergraph that plans the primary as `primary`, with subgraph `urls`. */
  const reload = (primary: typeof plan.primary, urls: Record<string, string>) =>
    subscription.replan({
      subgraphUrls: new Map(Object.entries(urls)),
      plan: () => ({ primary }),
    } as unknown as SupergraphPlans);
  return {
    subscription,
    event,
    resolutions,
    unsubscribe,
    onOverflow,
    upstreamPayload,
    upstream,
    reload,
  };
}

describe("FederatedSubscription", () => {
  it("delivers events in the order received, whatever order they resolve in", async () => {
    const { subscription, event, resolutions } = harness();
    event(1);
    event(2);
    await vi.waitFor(() => expect(resolutions).toHaveLength(1));
    resolutions[0]!.resolve({ data: { x: 1 } });
    await vi.waitFor(() => expect(resolutions).toHaveLength(2));
    resolutions[1]!.resolve({ data: { x: 2 } });
    const first = await subscription.results.next();
    const second = await subscription.results.next();
    expect([first.value, second.value]).toEqual([{ data: { x: 1 } }, { data: { x: 2 } }]);
  });

  it("drains on shutdown: stops listening, and finishes once the event in flight is taken", async () => {
    const { subscription, event, resolutions, unsubscribe } = harness();
    event(1);
    await vi.waitFor(() => expect(resolutions).toHaveLength(1));
    let drained = false;
    const draining = subscription.drain().then(() => (drained = true));
    expect(unsubscribe).toHaveBeenCalledOnce();
    resolutions[0]!.resolve({ data: { x: 1 } });
    await vi.waitFor(() => expect(subscription.results.size).toBe(1));
    expect(drained).toBe(false);
    expect((await subscription.results.next()).value).toEqual({ data: { x: 1 } });
    await draining;
    expect(drained).toBe(true);
  });

  it("overflows when resolved events wait unsent, not while a burst is still resolving", async () => {
    const { subscription, event, resolutions, onOverflow, unsubscribe } = harness(2);
    for (let n = 1; n <= 5; n += 1) event(n);
    expect(onOverflow).not.toHaveBeenCalled();
    for (let n = 0; n < 5; n += 1) {
      await vi.waitFor(() => expect(resolutions).toHaveLength(n + 1));
      resolutions[n]!.resolve({ data: { x: n + 1 } });
    }
    await vi.waitFor(() => expect(subscription.results.size).toBe(5));
    event(6);
    expect(onOverflow).toHaveBeenCalledOnce();
    expect(unsubscribe).toHaveBeenCalledOnce();
  });

  it("lets results wait for a client that keeps reading, up to the hard limit", async () => {
    const backlog = { bytes: 0 };
    const { subscription, event, resolutions, onOverflow } = harness(2, backlog);
    const limit = 2 * RESOLVING_PER_PENDING;
    for (let n = 1; n < limit; n += 1) {
      event(n);
      await vi.waitFor(() => expect(resolutions).toHaveLength(n));
      resolutions[n - 1]!.resolve({ data: { x: n } });
    }
    await vi.waitFor(() => expect(subscription.results.size).toBe(limit - 1));
    // Nineteen results wait, but the socket takes all it is given: the gateway is behind, not it.
    expect(onOverflow).not.toHaveBeenCalled();
    backlog.bytes = SLOW_CLIENT_BACKLOG_BYTES - 1;
    event(limit);
    expect(onOverflow).not.toHaveBeenCalled();
    // One more is past what any burst may keep waiting.
    event(limit + 1);
    expect(onOverflow).toHaveBeenCalledOnce();
  });

  it("tells the subgraph when the client subscribed, so its stream starts from then", () => {
    const { upstreamPayload } = harness();
    expect(upstreamPayload().extensions).toEqual({
      subscriberIdentity: "signed",
      [SUBSCRIBED_AT_EXTENSION]: RECEIVED_AT.toISOString(),
    });
  });

  it("keeps the last position events reached in the payload graphql-ws re-sends on reconnection", () => {
    const { event, upstreamPayload } = harness();
    expect(upstreamPayload().extensions).not.toHaveProperty(RESUME_AFTER_EXTENSION);
    event(1, { [RESUME_AFTER_EXTENSION]: "after-1" });
    event(2);
    event(3, { [RESUME_AFTER_EXTENSION]: "after-3" });
    expect(upstreamPayload().extensions).toEqual({
      subscriberIdentity: "signed",
      [SUBSCRIBED_AT_EXTENSION]: RECEIVED_AT.toISOString(),
      [RESUME_AFTER_EXTENSION]: "after-3",
    });
  });

  describe("on a supergraph reload", () => {
    const primary = { serviceName: "chat", operation: "subscription { x }" };
    const chatUrl = { chat: "http://chat/graphql" };

    it("keeps its upstream subscription when neither the primary nor its URL changed", () => {
      const { reload, upstream, unsubscribe } = harness();
      reload({ ...primary }, chatUrl);
      expect(upstream.subscribe).toHaveBeenCalledOnce();
      expect(unsubscribe).not.toHaveBeenCalled();
    });

    it("re-subscribes after the last event it got when its operation or URL changed", () => {
      const { event, reload, upstream, unsubscribe, upstreamPayload } = harness();
      event(1, { [RESUME_AFTER_EXTENSION]: "after-1" });
      reload({ serviceName: "chat", operation: "subscription { x y }" }, chatUrl);
      expect(upstreamPayload(1)).toMatchObject({
        query: "subscription { x y }",
        extensions: {
          subscriberIdentity: "signed",
          [SUBSCRIBED_AT_EXTENSION]: RECEIVED_AT.toISOString(),
          [RESUME_AFTER_EXTENSION]: "after-1",
        },
      });
      event(2, { [RESUME_AFTER_EXTENSION]: "after-2" });
      reload({ serviceName: "chat", operation: "subscription { x y }" }, { chat: "http://new" });
      expect(unsubscribe).toHaveBeenCalledTimes(2);
      expect(upstream.subscribe.mock.calls.map(([url]) => url)).toEqual([
        "http://chat/graphql",
        "http://chat/graphql",
        "http://new",
      ]);
      expect(upstreamPayload(2).extensions).toEqual({
        subscriberIdentity: "signed",
        [SUBSCRIBED_AT_EXTENSION]: RECEIVED_AT.toISOString(),
        [RESUME_AFTER_EXTENSION]: "after-2",
      });
    });

    it("re-subscribes from when the client subscribed while no event has come yet", () => {
      const { reload, upstreamPayload } = harness();
      reload({ serviceName: "chat", operation: "subscription { x y }" }, chatUrl);
      expect(upstreamPayload(1).extensions).toEqual({
        subscriberIdentity: "signed",
        [SUBSCRIBED_AT_EXTENSION]: RECEIVED_AT.toISOString(),
      });
    });

    it("starts afresh when the root field moved to another subgraph, whose positions differ", () => {
      const { event, reload, upstreamPayload } = harness();
      event(1, { [RESUME_AFTER_EXTENSION]: "after-1" });
      const reloadedAt = Date.now();
      reload(
        { serviceName: "messages", operation: "subscription { x }" },
        { messages: "http://m" },
      );
      const { extensions } = upstreamPayload(1);
      expect(extensions).toEqual({
        subscriberIdentity: "signed",
        [SUBSCRIBED_AT_EXTENSION]: expect.any(String),
      });
      // From the reload on: what the old subgraph sent is not sent again.
      const since = Date.parse(extensions![SUBSCRIBED_AT_EXTENSION] as string);
      expect(since).toBeGreaterThanOrEqual(reloadedAt);
    });
  });
});
