import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "@pulse/testkit/api-client";
import { eventually } from "@pulse/testkit/eventually";
import { matchedPair } from "@pulse/testkit/fixtures";
import { untilListening } from "@pulse/testkit/live";
import { startGateway, startStack, type RunningGateway, type Stack } from "@pulse/testkit/stack";
import { addressOf, startTcpProxy, type TcpProxy } from "@pulse/testkit/tcp-proxy";
import { WsTestClient } from "@pulse/testkit/ws-client";
import {
  FAULT_SECONDS,
  FAULT_TEST_TIMEOUT_MS,
  hold,
  report,
  unexplainedErrors,
} from "./fault-run.ts";
import { UNLIMITED_RATE_LIMITS } from "../../../scripts/lib/unlimited-rate-limits.ts";
import { MixedLoad } from "./load.ts";
import { MessageLedger } from "./messages.ts";

let stack: Stack;
/** Between the gateway and chat: cut, it drops every connection at once, as a crash does. */
let chatLink: TcpProxy;
let gateway: RunningGateway;
beforeAll(async () => {
  stack = await startStack({}, UNLIMITED_RATE_LIMITS);
  chatLink = await startTcpProxy(addressOf(stack.urls.chat!));
  gateway = await startGateway(stack, { SUBGRAPH_CHAT_URL: `http://${chatLink.address}/graphql` });
});
afterAll(async () => {
  await gateway?.close();
  await chatLink?.close();
  await stack?.close();
});

describe("chat killed and restarted under load", () => {
  it(
    "fails chat's requests cleanly while it is gone, then resumes subscriptions missing nothing",
    { timeout: FAULT_TEST_TIMEOUT_MS },
    async () => {
      const pair = await matchedPair(stack);
      const asPerson = (person: typeof pair.alice) =>
        new ApiClient(`${gateway.url}/graphql`, person.accessToken);
      const socket = await WsTestClient.connect(gateway.url, pair.alice.accessToken);
      const messages = socket.subscribe("OnMessageAdded", { conversationId: pair.conversationId });
      await untilListening(stack, "message-added", pair.alice.id);

      const ledger = new MessageLedger(asPerson(pair.bob), pair.conversationId);
      const alice = asPerson(pair.alice);
      const load = new MixedLoad({
        SendMessage: ledger.send,
        ConversationMessages: () =>
          alice.op("ConversationMessages", { id: pair.conversationId, first: 5 }),
        Viewer: () => alice.op("Viewer"),
        Discover: () => alice.op("Discover", { first: 5 }),
      });
      const figures = await hold(load, async () => {
        // The connections drop before chat's shutdown could say goodbye on them: a crash.
        await chatLink.cut();
        await stack.stopSubgraph("chat");
        return async () => {
          await stack.startSubgraph("chat");
          await chatLink.restore();
        };
      });

      await eventually(() => expect(ledger.compare(messages).lost).toBe(0));
      const { lost, duplicated } = ledger.compare(messages);
      report(`chat killed for ${FAULT_SECONDS} s`, { ...figures, eventsLost: lost, duplicated });
      expect({ lost, duplicated, ended: messages.ended }).toEqual({
        lost: 0,
        duplicated: 0,
        ended: null,
      });
      expect(figures.hangs).toBe(0);
      expect(figures.serverErrors, unexplainedErrors(stack).join("\n")).toEqual([]);
      await socket.close();
    },
  );
});
