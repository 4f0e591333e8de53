import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishMessage } from "@pulse/platform/server";
import { eventually } from "@pulse/testkit/eventually";
import { liveChannelName, untilListening as untilListeningOn } from "@pulse/testkit/live";
import { supergraphPath } from "../../scripts/lib/compose-supergraph.ts";
import { registerUser, registerWithProfile } from "@pulse/testkit/fixtures";
import { startGateway, startStack, withGateway, type Stack } from "@pulse/testkit/stack";
import { shortLivedToken } from "@pulse/testkit/tokens";
import { WsTestClient } from "@pulse/testkit/ws-client";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** Publishes a match on `userId`'s live topic, as discovery does when one is made. */
function publishMatch(
  userId: string,
  matchId: string = randomUUID(),
  otherId: string = randomUUID(),
) {
  const channel = liveChannelName(stack, "match-created", userId);
  const match = { id: matchId, matchedAt: new Date().toISOString(), user: { id: otherId } };
  const payload = JSON.stringify({ ...match, position: nextPlace(userId) });
  return publishMessage(stack.redis, channel, payload);
}

/** Places handed out by this file among each person's matches (each person is new). */
const placesTaken = new Map<string, number>();

/** The next place among `userId`'s matches, as discovery's counter would hand it out. */
function nextPlace(userId: string): string {
  const place = (placesTaken.get(userId) ?? 0) + 1;
  placesTaken.set(userId, place);
  return String(place);
}

/** Waits until an upstream subscription listens on `userId`'s match topic. */
const untilListening = (userId: string) => untilListeningOn(stack, "match-created", userId);

const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.map((error) => error.extensions?.code);

describe("authentication", () => {
  it("closes the socket with 4401 for a bad token", async () => {
    await expect(WsTestClient.connect(stack.gatewayUrl, "not-a-token")).rejects.toMatchObject({
      code: 4401,
    });
  });

  it("answers an anonymous subscription that needs a person with UNAUTHENTICATED, then 4401", async () => {
    const socket = await WsTestClient.connect(stack.gatewayUrl);
    const matches = socket.subscribe("OnMatchCreated");
    const [result] = await matches.results$(1);
    expect(codeOf(result!)).toEqual(["UNAUTHENTICATED"]);
    expect(await socket.closed).toMatchObject({ code: 4401 });
  });

  it("ends the subscriptions of an expiring token with UNAUTHENTICATED and closes with 4401", async () => {
    const user = await registerUser(stack);
    // The token must outlive setting up and one event, then expire. A slow machine may spend its
    // whole life setting up (the first result is then the expiry): try again with twice the life.
    for (const seconds of [5, 10, 20, 40]) {
      const socket = await WsTestClient.connect(
        stack.gatewayUrl,
        await shortLivedToken(stack, user, seconds),
      );
      const matches = socket.subscribe("OnMatchCreated");
      await untilListening(user.id).catch(() => undefined);
      await publishMatch(user.id);
      const [first] = await matches.results$(1);
      if (codeOf(first!)?.includes("UNAUTHENTICATED")) {
        await socket.closed;
        continue;
      }
      expect(first!.errors, JSON.stringify(first)).toBeUndefined();
      const [, expired] = await matches.results$(2);
      expect(codeOf(expired!)).toEqual(["UNAUTHENTICATED"]);
      expect(await matches.end()).toEqual({});
      expect(await socket.closed).toEqual({ code: 4401, reason: "Access token expired" });
      return;
    }
    expect.fail("the token expired before its first event every time");
  });
});

describe("signing out", () => {
  it("ends the session's subscriptions at once with UNAUTHENTICATED, then closes with 4401", async () => {
    const user = await registerUser(stack);
    const socket = await WsTestClient.connect(stack.gatewayUrl, user.accessToken);
    const matches = socket.subscribe("OnMatchCreated");
    await untilListening(user.id);
    const loggedOut = await user.client.op("Logout", { refreshToken: user.refreshToken });
    expect(loggedOut.errors).toBeUndefined();
    const [ended] = await matches.results$(1);
    expect(codeOf(ended!)).toEqual(["UNAUTHENTICATED"]);
    expect(await socket.closed).toEqual({ code: 4401, reason: "This session has been signed out" });
  });
});

describe("limits", () => {
  it("caps subscriptions per socket, and sockets per person across gateways", async () => {
    const limits = { SUBSCRIPTIONS_PER_SOCKET: "2", SOCKETS_PER_PERSON: "1" };
    await withGateway(stack, limits, (first) =>
      withGateway(stack, limits, async (second) => {
        const user = await registerUser(stack);
        const socket = await WsTestClient.connect(first.url, user.accessToken);
        socket.subscribe("OnMatchCreated");
        socket.subscribe("OnMatchCreated");
        const third = socket.subscribe("OnMatchCreated");
        expect(codeOf(await third.end())).toEqual(["RATE_LIMITED"]);
        for (const gateway of [first, second]) {
          await expect(WsTestClient.connect(gateway.url, user.accessToken)).rejects.toMatchObject({
            code: 4429,
          });
        }
        await socket.close();
        // Closing frees the place, on any gateway.
        await eventually(async () => {
          const again = await WsTestClient.connect(second.url, user.accessToken);
          await again.close();
        });
      }),
    );
  });
});

describe("keep-alive", () => {
  it("cuts a socket that leaves a ping unanswered and keeps one that answers", async () => {
    // Pinged every second: the answering socket has a whole second to answer, however busy the
    // machine; the silent one is cut within about two.
    await withGateway(stack, { SUBSCRIPTION_KEEPALIVE_MS: "1000" }, async (gateway) => {
      const user = await registerUser(stack);
      const answering = await WsTestClient.connect(gateway.url, user.accessToken);
      const silent = await WsTestClient.connect(gateway.url, user.accessToken, { autoPong: false });
      // Cut without a closing handshake: a peer that does not answer pings would not answer it.
      expect(await silent.closed).toMatchObject({ code: 1006 });
      // Pinged as often, the answering socket still serves its subscriptions.
      const matches = answering.subscribe("OnMatchCreated");
      await untilListening(user.id);
      const matchId = randomUUID();
      await publishMatch(user.id, matchId);
      const [result] = await matches.results$(1);
      expect(result?.data).toMatchObject({ matchCreated: { id: matchId } });
      await answering.close();
    });
  });
});

describe("a slow client", () => {
  it("is told and disconnected when its buffer overflows, after every event before it", async () => {
    await withGateway(stack, { SUBSCRIPTION_PENDING_EVENTS: "4" }, async (gateway) => {
      const user = await registerUser(stack);
      const socket = await WsTestClient.connect(gateway.url, user.accessToken);
      const matches = socket.subscribe("OnMatchCreated");
      await untilListening(user.id);
      socket.pause();
      // Large events fill the socket's buffers quickly; the id travels through untouched.
      const ids = Array.from({ length: 300 }, (_, index) => `${index}:${"x".repeat(64 * 1024)}`);
      for (const id of ids) await publishMatch(user.id, id);
      await eventually(
        () =>
          expect(gateway.logs.map((line) => line.msg)).toContain(
            "subscriber too slow, disconnecting",
          ),
        { timeout: 15_000, interval: 50 },
      );
      socket.resume();
      expect(await socket.closed).toMatchObject({ code: 1013 });
      const received = matches.results.map(
        (result) => (result.data as { matchCreated: { id: string } }).matchCreated.id,
      );
      // Everything before the overflow arrived, in order, with no gap.
      expect(received.length).toBeGreaterThan(0);
      expect(received.length).toBeLessThan(ids.length);
      expect(received).toEqual(ids.slice(0, received.length));
    });
  });
});

describe("a subgraph restart", () => {
  it("is survived: the gateway re-subscribes after the last match it got, missing none", async () => {
    const user = await registerUser(stack);
    const socket = await WsTestClient.connect(stack.gatewayUrl, user.accessToken);
    const matches = socket.subscribe("OnMatchCreated");
    await untilListening(user.id);
    await publishMatch(user.id);
    await matches.results$(1);
    await stack.stopSubgraph("discovery");
    // Made while no discovery replica served the gateway: stored, never announced to it.
    const other = randomUUID();
    const [userLow, userHigh] = [user.id, other].sort();
    const place = (userId: string) => BigInt(userId === user.id ? nextPlace(user.id) : 1);
    const [lowPosition, highPosition] = [place(userLow!), place(userHigh!)];
    // As discovery stores a match: with the places its counters handed out.
    const counters = [
      { userId: userLow!, lastPosition: lowPosition },
      { userId: userHigh!, lastPosition: highPosition },
    ];
    const [missed] = await stack.prisma.$transaction([
      stack.prisma.match.create({
        data: {
          id: randomUUID(),
          userLow: userLow!,
          userHigh: userHigh!,
          lowPosition,
          highPosition,
        },
      }),
      ...counters.map((counter) =>
        stack.prisma.matchCounter.upsert({
          where: { userId: counter.userId },
          create: counter,
          update: counter,
        }),
      ),
    ]);
    await stack.startSubgraph("discovery");
    const [, replayed] = await matches.results$(2);
    expect(replayed!.data).toMatchObject({ matchCreated: { id: missed.id } });
    await untilListening(user.id);
    const after = randomUUID();
    await publishMatch(user.id, after);
    const [, , live] = await matches.results$(3);
    expect(live!.data).toMatchObject({ matchCreated: { id: after } });
    expect(matches.ended).toBeNull();
    await socket.close();
  });
});

describe("a failing fetch of another subgraph", () => {
  it("yields the event with partial data and an error, and the stream goes on", async () => {
    const [user, other] = await Promise.all([
      registerUser(stack),
      registerWithProfile(stack, { displayName: "Other" }),
    ]);
    const socket = await WsTestClient.connect(stack.gatewayUrl, user.accessToken);
    const matches = socket.subscribe("OnMatchCreated");
    await untilListening(user.id);
    await stack.stopSubgraph("profiles");
    try {
      await publishMatch(user.id, "while-down", other.id);
      const [partial] = await matches.results$(1);
      expect(partial!.data).toMatchObject({
        matchCreated: { id: "while-down", user: { id: other.id, profile: null } },
      });
      expect(partial!.errors).toHaveLength(1);
    } finally {
      await stack.startSubgraph("profiles");
    }
    await publishMatch(user.id, "when-back", other.id);
    const [, whole] = await matches.results$(2);
    expect(whole).toMatchObject({
      data: { matchCreated: { id: "when-back", user: { profile: { displayName: "Other" } } } },
    });
    expect(whole!.errors).toBeUndefined();
    await socket.close();
  });
});

describe("graceful shutdown", () => {
  it("closes sockets with 1001 so clients reconnect elsewhere, and accepts no new ones", async () => {
    const gateway = await startGateway(stack);
    const user = await registerUser(stack);
    const socket = await WsTestClient.connect(gateway.url, user.accessToken);
    const matches = socket.subscribe("OnMatchCreated");
    await untilListening(user.id);
    const closing = gateway.close();
    expect(await socket.closed).toMatchObject({ code: 1001 });
    // The client was not told its subscription completed: it re-subscribes after reconnecting.
    expect(matches.ended).toBeNull();
    await closing;
    await expect(WsTestClient.connect(gateway.url, user.accessToken)).rejects.toThrow();
  });
});

describe("a supergraph reload", () => {
  it("keeps subscriptions whose plan is still valid and ends the others with their errors", async () => {
    const file = path.join(
      await mkdtemp(path.join(tmpdir(), "pulse-supergraph-")),
      "supergraph.graphql",
    );
    const original = await readFile(supergraphPath, "utf8");
    await writeFile(file, original);
    await withGateway(
      stack,
      { SUPERGRAPH_PATH: file, SUPERGRAPH_WATCH: "true" },
      async (gateway) => {
        const user = await registerUser(stack);
        const socket = await WsTestClient.connect(gateway.url, user.accessToken);
        const lasting = socket.subscribe("", {}, "subscription { matchCreated { id } }");
        const doomed = socket.subscribe("", {}, "subscription { matchCreated { id matchedAt } }");
        await untilListening(user.id);
        // Both are subscribed upstream once both hear an event.
        await publishMatch(user.id, "before-reload");
        await Promise.all([lasting.results$(1), doomed.results$(1)]);
        // The new supergraph no longer has Match.matchedAt.
        const reloaded = original.replace(/^\s+"""When the second like.*\n\s+matchedAt: .*\n/m, "");
        expect(reloaded).not.toBe(original);
        await writeFile(file, reloaded);
        await eventually(
          () => expect(gateway.logs.map((line) => line.msg)).toContain("supergraph reloaded"),
          { timeout: 10_000, interval: 50 },
        );
        // Its last word is why it ended.
        expect(await doomed.end()).toEqual({});
        expect(codeOf(doomed.results.at(-1)!)).toEqual(["BAD_USER_INPUT"]);
        await publishMatch(user.id, "after-reload");
        const [, event] = await lasting.results$(2);
        expect(event).toEqual({ data: { matchCreated: { id: "after-reload" } } });
        await socket.close();
      },
    );
  });
});
