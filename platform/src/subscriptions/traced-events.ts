import { context, SpanKind, trace, type Context } from "@opentelemetry/api";
import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  getOperationAST,
} from "graphql";
import { pulseTracer, REQUEST_ID_ATTRIBUTE, traceContextOf } from "../telemetry/tracing.ts";
import { TRACE_CONTEXT_EXTENSION } from "./upstream-protocol.ts";

/** Where a subscription's trace comes from: the gateway's subscribe, and its request id. */
export interface SubscriptionTrace {
  parent: Context;
  requestId: string;
}

/**
 * graphql-js's `subscribe`, with one trace per event: the subscription's setup (its replay and
 * listening) is a span of the gateway's subscribe trace, and each event's execution starts a
 * trace of its own, linked to that setup, whose context goes to the gateway in the result's
 * `extensions` so its delivery (the rest of the plan) joins the same trace.
 */
export async function subscribeTraced(
  args: ExecutionArgs,
  origin: SubscriptionTrace,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const tracer = pulseTracer();
  const operation = getOperationAST(args.document, args.operationName)?.name?.value ?? "anonymous";
  const setup = tracer.startSpan(
    `subscribe ${operation}`,
    { kind: SpanKind.SERVER, attributes: { [REQUEST_ID_ATTRIBUTE]: origin.requestId } },
    origin.parent,
  );
  let stream: Awaited<ReturnType<typeof createSourceEventStream>>;
  try {
    stream = await context.with(trace.setSpan(origin.parent, setup), () =>
      createSourceEventStream(args),
    );
  } finally {
    setup.end();
  }
  if (!(Symbol.asyncIterator in stream)) return stream;
  const link = { context: setup.spanContext() };
  return mapEvents(stream as AsyncIterable<unknown>, (payload) =>
    tracer.startActiveSpan(
      `subscription event ${operation}`,
      {
        root: true,
        kind: SpanKind.CONSUMER,
        links: [link],
        attributes: { [REQUEST_ID_ATTRIBUTE]: origin.requestId },
      },
      async (span) => {
        try {
          const result = await execute({ ...args, rootValue: payload });
          const traceContext = traceContextOf();
          return traceContext
            ? {
                ...result,
                extensions: { ...result.extensions, [TRACE_CONTEXT_EXTENSION]: traceContext },
              }
            : result;
        } finally {
          span.end();
        }
      },
    ),
  );
}

/**
 * Maps each value of `source` as graphql-js does for subscriptions: `return` reaches the source at
 * once, even while it waits for its next value (an async generator would wait for that value),
 * and a failing `map` ends the source.
 */
function mapEvents<Value, Mapped>(
  source: AsyncIterable<Value>,
  map: (value: Value) => Promise<Mapped>,
): AsyncIterableIterator<Mapped> {
  const iterator = source[Symbol.asyncIterator]();
  const end = async (): Promise<IteratorResult<Mapped>> => {
    await iterator.return?.();
    return { done: true, value: undefined };
  };
  const mapped: AsyncIterableIterator<Mapped> = {
    async next() {
      const result = await iterator.next();
      if (result.done) return { done: true, value: undefined };
      try {
        return { done: false, value: await map(result.value) };
      } catch (error) {
        await iterator.return?.().catch(() => undefined);
        throw error;
      }
    },
    return: end,
    async throw(error: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}
