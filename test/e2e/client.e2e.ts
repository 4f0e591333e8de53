import { randomUUID } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import {
  createPulseClient,
  LiveMessagesDocument,
  LoginDocument,
  MessageFieldsFragmentDoc,
  SendMessageDocument,
  SessionFieldsFragmentDoc,
  useFragment,
  ViewerDocument,
  memoryTokens,
  type LiveMessagesSubscription,
  type PulseClient,
  type TokenStore,
} from "@pulse/client";
import { eventually } from "@pulse/testkit/eventually";
import {
  matchedPair,
  newestMessageCursor,
  registerUser,
  type MatchedPair,
} from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { shortLivedToken } from "@pulse/testkit/tokens";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";

let stack: Stack;
let pair: MatchedPair;
beforeAll(async () => {
  stack = await startStack();
  pair = await matchedPair(stack);
});
afterAll(() => stack?.close());

const clients: PulseClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

/** Quick reconnects, so that a test does not wait out production backoff. */
const BACKOFF = { baseMs: 50, maxMs: 500 };

function pulseClient(url: string, tokens: TokenStore = memoryTokens()) {
  const client = createPulseClient({ url, tokens, webSocketImpl: WebSocket, backoff: BACKOFF });
  clients.push(client);
  return client;
}

/** A TCP proxy in front of the gateway that can cut every connection and refuse new ones. */
async function cuttableProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let open = true;
  let connections = 0;
  const server: Server = createServer((socket) => {
    if (!open) return socket.destroy();
    connections += 1;
    const upstream = connect(Number(port), hostname);
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on("close", () => sockets.delete(end));
      end.on("error", () => undefined);
    }
    socket.pipe(upstream).pipe(socket);
    socket.on("close", () => upstream.destroy());
    upstream.on("close", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    get connections() {
      return connections;
    },
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Bob sends `body` to Alice, through the gateway, with the typed client. */
async function bobSends(body: string) {
  const bob = pulseClient(`${stack.gatewayUrl}/graphql`, memoryTokens(pair.bob));
  const sent = await bob.request(SendMessageDocument, {
    input: { conversationId: pair.conversationId, clientMessageId: randomUUID(), body },
  });
  expect(sent.errors).toBeUndefined();
}

/**
 * Alice's live messages of the pair's conversation, as delivered to the app, from after the
 * newest message there is (a subscription started with `after` misses nothing before it is live).
 */
async function aliceListens(client: PulseClient) {
  await bobSends("hello");
  const after = await newestMessageCursor(pair.alice, pair.conversationId);
  const bodies: string[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe(
    LiveMessagesDocument,
    { conversationId: pair.conversationId, after },
    {
      next: (result: { data?: LiveMessagesSubscription | null; errors?: unknown }) => {
        if (result.errors) errors.push(result.errors);
        const message = useFragment(MessageFieldsFragmentDoc, result.data?.messageAdded);
        if (message) bodies.push(message.body);
      },
      error: (error) => errors.push(error),
    },
  );
  return { bodies, errors, stop };
}

describe("@pulse/client against the gateway", () => {
  it("signs in with a typed mutation, then runs a typed query as that person", async () => {
    const user = await registerUser(stack);
    const client = pulseClient(`${stack.gatewayUrl}/graphql`);
    const login = await client.request(LoginDocument, {
      input: { email: user.email, password: user.password },
    });
    expect(login.errors).toBeUndefined();
    const session = useFragment(SessionFieldsFragmentDoc, login.data!.login);
    client.tokens.set({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    const viewer = await client.request(ViewerDocument);
    expect(viewer).toEqual({
      data: {
        me: {
          id: user.id,
          email: user.email,
          role: "USER",
          emailVerified: false,
          createdAt: expect.any(String),
        },
      },
    });
    expect(Number.isNaN(Date.parse(viewer.data!.me!.createdAt))).toBe(false);
  });

  it("refreshes an expired access token once, and runs the request again", async () => {
    const user = await registerUser(stack);
    const expired = await shortLivedToken(stack, user, -60);
    const tokens = memoryTokens({ accessToken: expired, refreshToken: user.refreshToken });
    const client = pulseClient(`${stack.gatewayUrl}/graphql`, tokens);
    const [first, second] = await Promise.all([
      client.request(ViewerDocument),
      client.request(ViewerDocument),
    ]);
    expect(first.data?.me?.id).toBe(user.id);
    expect(second.data?.me?.id).toBe(user.id);
    // One refresh for both: the rotated refresh token was used once, so the session lives on.
    expect(tokens.get()!.accessToken).not.toBe(expired);
    expect(tokens.get()!.refreshToken).not.toBe(user.refreshToken);
    expect((await client.request(ViewerDocument)).data?.me?.id).toBe(user.id);
  });

  it("clears the tokens and says so when the session cannot be refreshed", async () => {
    const user = await registerUser(stack);
    let signedOut = 0;
    const tokens = memoryTokens({
      accessToken: await shortLivedToken(stack, user, -60),
      refreshToken: "not-a-refresh-token",
    });
    const client = createPulseClient({
      url: `${stack.gatewayUrl}/graphql`,
      tokens,
      onSignedOut: () => (signedOut += 1),
    });
    const result = await client.request(ViewerDocument);
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(tokens.get()).toBeNull();
    expect(signedOut).toBe(1);
  });

  it("keeps a subscription across a cut connection and resumes without losing a message", async () => {
    const proxy = await cuttableProxy(stack.gatewayUrl);
    try {
      const alice = pulseClient(proxy.url, memoryTokens(pair.alice));
      const live = await aliceListens(alice);
      await bobSends("before the cut");
      await expect.poll(() => live.bodies).toEqual(["before the cut"]);

      proxy.cut();
      await bobSends("while cut 1");
      await bobSends("while cut 2");
      proxy.restore();
      await expect
        .poll(() => live.bodies)
        .toEqual(["before the cut", "while cut 1", "while cut 2"]);
      expect(proxy.connections).toBeGreaterThanOrEqual(2);
      await bobSends("after the cut");
      await expect.poll(() => live.bodies.at(-1)).toBe("after the cut");
      expect(live.bodies).toHaveLength(4);
      expect(live.errors).toEqual([]);
      live.stop();
    } finally {
      await proxy.close();
    }
  });

  it("refreshes when the socket refuses an expired token (4401), then delivers", async () => {
    const expired = await shortLivedToken(stack, pair.alice, -60);
    const tokens = memoryTokens({ accessToken: expired, refreshToken: pair.alice.refreshToken });
    const alice = pulseClient(`${stack.gatewayUrl}/graphql`, tokens);
    const live = await aliceListens(alice);
    await eventually(() => expect(tokens.get()?.accessToken).not.toBe(expired));
    pair.alice.refreshToken = tokens.get()!.refreshToken;
    await bobSends("after a refused token");
    await expect.poll(() => live.bodies.at(-1)).toBe("after a refused token");
    expect(live.errors).toEqual([]);
    live.stop();
  });

  it("refreshes when the token expires on an open subscription, and loses nothing", async () => {
    const shortLived = await shortLivedToken(stack, pair.alice, 3);
    const tokens = memoryTokens({
      accessToken: shortLived,
      refreshToken: pair.alice.refreshToken,
    });
    const alice = pulseClient(`${stack.gatewayUrl}/graphql`, tokens);
    const live = await aliceListens(alice);
    await bobSends("before expiry");
    await expect.poll(() => live.bodies).toEqual(["before expiry"]);
    // The gateway ends the subscription with UNAUTHENTICATED and closes 4401 when the token
    // expires; the client refreshes and subscribes again from its last cursor.
    await eventually(() => expect(tokens.get()?.accessToken).not.toBe(shortLived));
    pair.alice.refreshToken = tokens.get()!.refreshToken;
    await bobSends("after expiry");
    await expect.poll(() => live.bodies).toEqual(["before expiry", "after expiry"]);
    expect(live.errors).toEqual([]);
    live.stop();
  });
});
