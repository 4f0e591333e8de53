import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "@pulse/testkit/api-client";
import { eventually } from "@pulse/testkit/eventually";
import { matchedPair, type MatchedPair } from "@pulse/testkit/fixtures";
import { untilListening } from "@pulse/testkit/live";
import { startGateway, startStack, type Stack } from "@pulse/testkit/stack";
import { WsTestClient } from "@pulse/testkit/ws-client";
import { subgraphRegistry } from "../../../subgraphs/registry.ts";
import {
  FAULT_TEST_TIMEOUT_MS,
  hold,
  report,
  unexplainedErrors,
  type FaultFigures,
} from "./fault-run.ts";
import { UNLIMITED_RATE_LIMITS } from "../../../scripts/lib/unlimited-rate-limits.ts";
import { MixedLoad, type Client } from "./load.ts";
import { MessageLedger, receivedIds } from "./messages.ts";

// SIGTERM runs a process's `close()` (`runUntilSignal`); the stack's `stopSubgraph` and a
// gateway's `close` run exactly that, in this process. Each process is stopped under load and
// started again at once, as in a rolling restart.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({}, UNLIMITED_RATE_LIMITS);
});
afterAll(() => stack?.close());

/** One request of each subgraph's, as `pair` sends them through `client(person)`. */
function mixedLoad(pair: MatchedPair, ledger: MessageLedger, client: (token: string) => Client) {
  const [alice, bob] = [client(pair.alice.accessToken), client(pair.bob.accessToken)];
  return new MixedLoad({
    Viewer: () => alice.op("Viewer"),
    Login: () =>
      client("").op("Login", { input: { email: pair.bob.email, password: pair.bob.password } }),
    MyProfile: () => bob.op("MyProfile"),
    Discover: () => alice.op("Discover", { first: 5 }),
    SendMessage: ledger.send,
    ConversationMessages: () => alice.op("ConversationMessages", { id: pair.conversationId }),
    Competitions: () => alice.op("Competitions", { first: 5 }),
    Plans: () => client("").op("Plans"),
  });
}

/** The conversation's stored messages must be exactly those the API acknowledged: one per key. */
async function expectStoredOnce(pair: MatchedPair, ledger: MessageLedger): Promise<void> {
  const stored = await stack.prisma.message.findMany({
    where: { conversationId: pair.conversationId, senderId: pair.bob.id },
    select: { id: true },
  });
  expect(stored.map((row) => row.id).sort()).toEqual([...ledger.acknowledged].sort());
}

async function subscribed(gatewayUrl: string, pair: MatchedPair, after?: string) {
  const socket = await WsTestClient.connect(gatewayUrl, pair.alice.accessToken);
  const subscription = socket.subscribe("OnMessageAdded", {
    conversationId: pair.conversationId,
    ...(after ? { after } : {}),
  });
  await untilListening(stack, "message-added", pair.alice.id);
  return { socket, subscription };
}

function expectClean(
  figures: FaultFigures,
  { lost, duplicated }: { lost: number; duplicated: number },
) {
  expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
  expect(figures.hangs).toBe(0);
  expect(figures.serverErrors, unexplainedErrors(stack).join("\n")).toEqual([]);
}

describe("SIGTERM to a subgraph under load", () => {
  it.each(subgraphRegistry.map(({ name }) => name))(
    "%s finishes what it has, nothing is half-written, and it serves again",
    { timeout: FAULT_TEST_TIMEOUT_MS },
    async (name) => {
      const pair = await matchedPair(stack);
      const ledger = new MessageLedger(pair.bob.client, pair.conversationId);
      const { socket, subscription } = await subscribed(stack.gatewayUrl, pair);
      const load = mixedLoad(pair, ledger, (token) => stack.client(token || undefined));
      const figures = await hold(
        load,
        async () => {
          await stack.stopSubgraph(name);
          return () => stack.startSubgraph(name);
        },
        0,
      );

      await eventually(() => expect(ledger.compare(subscription).lost).toBe(0));
      const events = ledger.compare(subscription);
      report(`SIGTERM to ${name}`, {
        ...figures,
        eventsLost: events.lost,
        duplicated: events.duplicated,
      });
      expectClean(figures, events);
      expect(subscription.ended).toBeNull();
      await expectStoredOnce(pair, ledger);
      await socket.close();
    },
  );
});

describe("SIGTERM to a gateway under load", () => {
  it(
    "finishes its requests, writes the events it has, and clients carry on through another",
    { timeout: FAULT_TEST_TIMEOUT_MS },
    async () => {
      const pair = await matchedPair(stack);
      const stopping = await startGateway(stack);
      // A load balancer: new connections go to `current`; one the stopping gateway refuses is
      // sent to the other. A request it accepted and then dropped is not retried: it would show.
      let current = stopping.url;
      const balanced = (token: string): Client => ({
        op: (name: string, variables?: Record<string, unknown>) =>
          retryRefused(
            () => new ApiClient(`${current}/graphql`, token || undefined).op(name, variables),
            () =>
              new ApiClient(`${stack.gatewayUrl}/graphql`, token || undefined).op(name, variables),
          ),
      });
      const { socket, subscription } = await subscribed(stopping.url, pair);
      const routed = new MessageLedger(balanced(pair.bob.accessToken), pair.conversationId);
      const load = mixedLoad(pair, routed, balanced);
      let acknowledgedBeforeStop = 0;
      const figures = await hold(
        load,
        async () => {
          acknowledgedBeforeStop = routed.acknowledged.length;
          current = stack.gatewayUrl;
          await stopping.close();
          return async () => {};
        },
        0,
      );
      // Closed with 1001 after writing what it had: the client resumes elsewhere after the last.
      expect((await socket.closed).code).toBe(1001);
      const before = routed.acknowledged.slice(0, acknowledgedBeforeStop);
      expect(before.every((id) => receivedIds(subscription).includes(id))).toBe(true);
      const last = receivedIds(subscription).at(-1)!;
      const resumed = await subscribed(stack.gatewayUrl, pair, await cursorOf(pair, last));
      await eventually(() =>
        expect(receivedIds(subscription, resumed.subscription)).toEqual(routed.acknowledged),
      );
      const events = routed.compare(subscription, resumed.subscription);
      report("SIGTERM to the gateway", {
        ...figures,
        eventsLost: events.lost,
        duplicated: events.duplicated,
      });
      expectClean(figures, events);
      await expectStoredOnce(pair, routed);
      await resumed.socket.close();
    },
  );
});

/** The cursor of message `id` of the pair's conversation, as Alice pages through it. */
async function cursorOf(pair: MatchedPair, id: string): Promise<string> {
  let after: string | undefined;
  for (;;) {
    const page = await pair.alice.client.op("ConversationMessages", {
      id: pair.conversationId,
      first: 100,
      after,
    });
    const messages = page.data!.conversation.messages;
    const edge = messages.edges.find(
      (candidate: { node: { id: string } }) => candidate.node.id === id,
    );
    if (edge) return edge.cursor as string;
    if (!messages.pageInfo.hasNextPage) throw new Error(`no message ${id}`);
    after = messages.pageInfo.endCursor as string;
  }
}

/** Runs `request`; if its gateway refused the connection, runs `elsewhere` instead. */
async function retryRefused<Result>(
  request: () => Promise<Result>,
  elsewhere: () => Promise<Result>,
): Promise<Result> {
  try {
    return await request();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNREFUSED") throw error;
    return elsewhere();
  }
}
