import { ROOT_CONTEXT } from "@opentelemetry/api";
import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { EventQueue } from "./event-queue.ts";
import { subscribeTraced } from "./traced-events.ts";

/** A schema whose `greeting` subscription streams what the test pushes into `source`. */
function greetings() {
  let ended = false;
  const source = new EventQueue<{ greeting: string }>(() => {
    ended = true;
  });
  const field = { type: GraphQLString };
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { unused: field } }),
    subscription: new GraphQLObjectType({
      name: "Subscription",
      fields: { greeting: { ...field, subscribe: () => source } },
    }),
  });
  return { schema, source, ended: () => ended };
}

const origin = { parent: ROOT_CONTEXT, requestId: "request-1" };

describe("subscribeTraced (without a started SDK)", () => {
  it("executes each event as graphql-js would", async () => {
    const { schema, source } = greetings();
    const stream = await subscribeTraced(
      { schema, document: parse("subscription Hello { greeting }") },
      origin,
    );
    const events = stream as AsyncIterableIterator<unknown>;
    source.push({ greeting: "hi" });
    expect(await events.next()).toEqual({ done: false, value: { data: { greeting: "hi" } } });
  });

  it("ends the source at once when the subscription ends while waiting for an event", async () => {
    const { schema, ended } = greetings();
    const events = (await subscribeTraced(
      { schema, document: parse("subscription { greeting }") },
      origin,
    )) as AsyncIterableIterator<unknown>;
    const waiting = events.next();
    await events.return!();
    expect(ended()).toBe(true);
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it("answers a subscription that cannot start with its errors", async () => {
    const { schema } = greetings();
    const result = await subscribeTraced(
      { schema, document: parse("subscription { greeting }"), operationName: "Missing" },
      origin,
    );
    expect(result).toMatchObject({ errors: [{ message: 'Unknown operation named "Missing".' }] });
  });
});
