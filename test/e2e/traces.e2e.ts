import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SpanKind, startTestTracing, type ReadableSpan } from "@pulse/testkit/tracing";

// Every process of the stack runs in the test's, so one in-memory exporter collects the spans of
// the gateway and of every subgraph. Tracing starts before the stack's modules (ioredis,
// node:http) load, so they are imported after it.
const tracing = startTestTracing();
const { startStack } = await import("@pulse/testkit/stack");
const { matchedPair } = await import("@pulse/testkit/fixtures");
const { untilListening } = await import("@pulse/testkit/live");
const { WsTestClient } = await import("@pulse/testkit/ws-client");
const { eventually } = await import("@pulse/testkit/eventually");
const { createLogger, parseClusterUrl, pulseTracer } = await import("@pulse/platform/server");

const REQUEST_ID = "pulse.request_id";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
  await tracing.shutdown();
});

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The spans of one trace, with questions about their tree. */
class Trace {
  constructor(readonly spans: ReadableSpan[]) {}

  static of(traceId: string): Trace {
    return new Trace(tracing.spans().filter((span) => traceOf(span) === traceId));
  }

  children(of: ReadableSpan): ReadableSpan[] {
    return this.spans.filter((span) => parentOf(span) === idOf(of));
  }

  /** `of`'s descendants that `match`, depth first. */
  below(of: ReadableSpan, match: (span: ReadableSpan) => boolean): ReadableSpan[] {
    return this.children(of).flatMap((child) => [
      ...(match(child) ? [child] : []),
      ...this.below(child, match),
    ]);
  }

  /** The one child of `of` that `match`es. */
  child(of: ReadableSpan, match: (span: ReadableSpan) => boolean): ReadableSpan {
    const found = this.children(of).filter(match);
    expect(found, `children of ${of.name}: ${this.children(of).map((s) => s.name)}`).toHaveLength(
      1,
    );
    return found[0]!;
  }
}

const named = (name: string) => (span: ReadableSpan) => span.name === name;
const isDatabaseQuery = named("prisma:client:db_query");
const isRedisCommand = (span: ReadableSpan) => span.attributes["db.system.name"] === "redis";
/** The HTTP server span of the subgraph at `baseUrl`. */
const servedBy = (baseUrl: string) => (span: ReadableSpan) =>
  span.kind === SpanKind.SERVER && span.attributes["server.port"] === Number(new URL(baseUrl).port);

/**
 * The subgraph's server span that answered the HTTP request a `gateway.fetch` span of `subgraph`
 * sent: the request's child, through the W3C `traceparent` header.
 */
function subgraphRequest(trace: Trace, fetch: ReadableSpan, subgraph: string): ReadableSpan {
  const client = trace.child(fetch, (span) => span.kind === SpanKind.CLIENT);
  expect(client.attributes["url.full"]).toBe(`${stack.urls[subgraph]}/graphql`);
  return trace.child(client, servedBy(stack.urls[subgraph]!));
}

/** The one finished span that `match`es, once it has ended. */
function eventuallyOne(match: (span: ReadableSpan) => boolean): Promise<ReadableSpan> {
  return eventually(() => {
    const found = tracing.spans().filter(match);
    expect(found).toHaveLength(1);
    return found[0]!;
  });
}

/** The gateway's HTTP server span of the request with id `requestId` (the root of its trace). */
function gatewayRequestSpan(requestId: string): Promise<ReadableSpan> {
  return eventuallyOne(
    (span) =>
      span.kind === SpanKind.SERVER &&
      span.attributes[REQUEST_ID] === requestId &&
      span.attributes["server.port"] === Number(new URL(stack.gatewayUrl).port),
  );
}

describe("traces", () => {
  it("follow a federated query from the gateway through both subgraphs to Postgres, in one trace", async () => {
    const { alice } = await matchedPair(stack);
    const requestId = `trace-${randomUUID()}`;
    const response = await alice.client.op(
      "Conversations",
      { first: 5 },
      { "x-request-id": requestId },
    );
    expect(response.errors).toBeUndefined();

    const root = await gatewayRequestSpan(requestId);
    expect(root.parentSpanContext).toBeUndefined();
    // Spans end as their work does; the tree is complete soon after the root's.
    await eventually(() => {
      const trace = Trace.of(traceOf(root));
      const request = trace.child(root, named("gateway.request"));
      expect(request.attributes["graphql.operation.name"]).toBe("Conversations");
      const fetches = trace.below(request, named("gateway.fetch"));
      const chatFetch = fetches.find((span) => span.attributes.service === "chat")!;
      const profilesFetch = fetches.find(
        (span) => span.attributes.service === "profiles" && trace.children(span).length > 0,
      )!;
      expect(chatFetch).toBeDefined();
      expect(profilesFetch).toBeDefined();

      for (const [fetch, subgraph] of [
        [chatFetch, "chat"],
        [profilesFetch, "profiles"],
      ] as const) {
        const server = subgraphRequest(trace, fetch, subgraph);
        // The gateway forwards the request id; the subgraph tags its own server span with it.
        expect(server.attributes[REQUEST_ID]).toBe(requestId);
        expect(trace.below(server, isDatabaseQuery).length).toBeGreaterThan(0);
      }
    });
  });

  it("follow a mutation into Redis and Postgres", async () => {
    const { bob, conversationId } = await matchedPair(stack);
    const requestId = `trace-${randomUUID()}`;
    const sent = await bob.client.op(
      "SendMessage",
      { input: { conversationId, body: "traced", clientMessageId: randomUUID() } },
      { "x-request-id": requestId },
    );
    expect(sent.errors).toBeUndefined();
    const root = await gatewayRequestSpan(requestId);
    await eventually(() => {
      const trace = Trace.of(traceOf(root));
      const chat = trace.below(root, servedBy(stack.urls.chat!));
      expect(chat).toHaveLength(1);
      // The rate limits and the live notification in Redis, the message in Postgres.
      const redisCommands = trace.below(chat[0]!, isRedisCommand).map((span) => span.name);
      // A cluster carries it on sharded pub/sub.
      expect(redisCommands).toContain(parseClusterUrl(inject("redisUrl")) ? "spublish" : "publish");
      expect(trace.below(chat[0]!, isDatabaseQuery).length).toBeGreaterThan(0);
    });
  });

  it("name the trace and span in log lines written inside a span", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger("test", "info", {
      write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    logger.info("outside");
    const ids = pulseTracer().startActiveSpan("request", { kind: SpanKind.SERVER }, (span) => {
      logger.info("inside");
      span.end();
      return span.spanContext();
    });
    expect(lines.map(({ msg, trace_id, span_id }) => ({ msg, trace_id, span_id }))).toEqual([
      { msg: "outside", trace_id: undefined, span_id: undefined },
      { msg: "inside", trace_id: ids.traceId, span_id: ids.spanId },
    ]);
  });

  it("give each delivered subscription event a trace of its own, from the subgraph's execution to the gateway's delivery", async () => {
    const { alice, bob, conversationId } = await matchedPair(stack);
    const socket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const subscription = socket.subscribe("OnMessageAdded", { conversationId });
    await untilListening(stack, "message-added", alice.id);

    for (const body of ["first", "second"]) {
      const sent = await bob.client.op("SendMessage", {
        input: { conversationId, body, clientMessageId: randomUUID() },
      });
      expect(sent.errors).toBeUndefined();
    }
    const results = await subscription.results$(2);
    expect(results.map((result) => result.errors)).toEqual([undefined, undefined]);

    // The gateway's subscribe starts the subscription's trace; chat's setup joins it.
    const subscribe = await eventuallyOne(named("subscribe OnMessageAdded"));
    const subscriberRequestId = subscribe.attributes[REQUEST_ID];
    expect(subscriberRequestId).toEqual(expect.any(String));
    const setup = Trace.of(traceOf(subscribe)).child(subscribe, (span) =>
      span.name.startsWith("subscribe "),
    );
    expect(setup.attributes[REQUEST_ID]).toBe(subscriberRequestId);

    // Each event: chat's execution is the root, linked to the setup; the gateway's delivery
    // (the rest of the plan: the sender's profile) is its child.
    const deliveries = await eventually(() => {
      const found = tracing
        .spans()
        .filter(
          (span) =>
            span.name === "subscription event OnMessageAdded" &&
            span.attributes[REQUEST_ID] === subscriberRequestId,
        );
      expect(found).toHaveLength(2);
      return found;
    });
    const traceIds = new Set<string>();
    for (const delivery of deliveries) {
      expect(delivery.kind).toBe(SpanKind.CONSUMER);
      const trace = Trace.of(traceOf(delivery));
      traceIds.add(traceOf(delivery));
      const execution = trace.spans.find((span) => idOf(span) === parentOf(delivery))!;
      expect(execution.name).toMatch(/^subscription event /);
      expect(execution.parentSpanContext).toBeUndefined();
      expect(execution.links.map((link) => link.context.spanId)).toEqual([idOf(setup)]);
      expect(execution.attributes[REQUEST_ID]).toBe(subscriberRequestId);
      expect(trace.below(delivery, named("gateway.fetch")).length).toBeGreaterThan(0);
    }
    expect(traceIds.size).toBe(2);
    await socket.close();
  });
});
