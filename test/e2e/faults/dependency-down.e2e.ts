import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import {
  birthdateForAge,
  createProfile,
  matchedPair,
  registerUser,
  uniqueUsername,
  untilDiscoverable,
} from "@pulse/testkit/fixtures";
import { untilListening } from "@pulse/testkit/live";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { addressOf, startTcpProxy, throughProxy, type TcpProxy } from "@pulse/testkit/tcp-proxy";
import { WsTestClient } from "@pulse/testkit/ws-client";
import {
  FAULT_SECONDS,
  FAULT_TEST_TIMEOUT_MS,
  hold,
  report,
  unexplainedErrors,
  type FaultFigures,
} from "./fault-run.ts";
import { UNLIMITED_RATE_LIMITS } from "../../../scripts/lib/unlimited-rate-limits.ts";
import { MixedLoad } from "./load.ts";
import { MessageLedger } from "./messages.ts";

/**
 * The machine's Redis and Postgres serve other test runs: the stack reaches them through a proxy
 * of its own, which the test cuts.
 */
const dependencies = [
  { dependency: "Redis", variable: "REDIS_URL", url: () => inject("redisUrl") },
  { dependency: "Postgres", variable: "DATABASE_URL", url: () => inject("databaseUrl") },
] as const;

describe.each(dependencies)(
  "$dependency down under mixed load",
  ({ dependency, variable, url }) => {
    let stack: Stack;
    let proxy: TcpProxy;
    beforeAll(async () => {
      proxy = await startTcpProxy(addressOf(url()));
      stack = await startStack({ [variable]: throughProxy(url(), proxy) }, UNLIMITED_RATE_LIMITS);
    });
    afterAll(async () => {
      await proxy?.restore();
      await stack?.close();
      await proxy?.close();
    });

    it(
      "fails what needs it fast and cleanly, and loses no event once it is back",
      { timeout: FAULT_TEST_TIMEOUT_MS },
      async () => {
        const pair = await matchedPair(stack);
        const changing = await registerUser(stack);
        const profile = {
          displayName: "Changing",
          username: uniqueUsername(),
          birthdate: birthdateForAge(30),
          gender: "FEMALE" as const,
          interestedIn: ["MALE" as const],
        };
        await createProfile(changing, profile);
        const socket = await WsTestClient.connect(stack.gatewayUrl, pair.alice.accessToken);
        const messages = socket.subscribe("OnMessageAdded", {
          conversationId: pair.conversationId,
        });
        await untilListening(stack, "message-added", pair.alice.id);

        const ledger = new MessageLedger(pair.bob.client, pair.conversationId);
        let bio = 0;
        const load = new MixedLoad({
          Viewer: () => pair.bob.client.op("Viewer"),
          Login: () =>
            stack
              .client()
              .op("Login", { input: { email: pair.bob.email, password: pair.bob.password } }),
          Discover: () => pair.alice.client.op("Discover", { first: 5 }),
          Plans: () => stack.client().op("Plans"),
          SendMessage: ledger.send,
          UpsertProfile: () =>
            changing.client.op("UpsertProfile", {
              input: { ...profile, bio: `bio ${++bio}` },
            }),
        });
        const figures: FaultFigures = await hold(load, async () => {
          await proxy.cut();
          return () => proxy.restore();
        });

        await eventually(() => expect(ledger.compare(messages).lost).toBe(0));
        // Profile changes stored while it was down reach discovery once it is back.
        await untilDiscoverable(stack, { ...changing, profile });
        const { lost, duplicated } = ledger.compare(messages);
        report(`${dependency} down ${FAULT_SECONDS} s`, {
          ...figures,
          eventsLost: lost,
          duplicated,
        });
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
  },
);
