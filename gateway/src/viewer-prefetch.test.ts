import type { GraphQLDataSource } from "@apollo/gateway";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { GatewayContext } from "./context.ts";
import { PREFETCH_AFTER, ViewerPrefetch } from "./viewer-prefetch.ts";

type Source = GraphQLDataSource<GatewayContext>;
type Options = Parameters<Source["process"]>[0];
type Response = Awaited<ReturnType<Source["process"]>>;

const SEND_QUERY =
  "mutation SendMessage__chat__0($input:SendMessageInput!){sendMessage(input:$input){sender{__typename id}}}";
const CARD_QUERY =
  "query SendMessage__profiles__1($representations:[_Any!]!){_entities(representations:$representations){...on User{profile{displayName}}}}";

/** A subgraph that records every request and answers each once `release` is called. */
function subgraph(name: string) {
  const requests: { variables: Record<string, unknown> | undefined; release: () => void }[] = [];
  let failures = 0;
  const source: Source = {
    process: ({ request }) =>
      new Promise<Response>((resolve, reject) => {
        requests.push({
          variables: request.variables,
          release: () => {
            if (failures === 0) {
              resolve({ data: { from: name, variables: request.variables } } as Response);
            } else {
              failures -= 1;
              reject(new TypeError("fetch failed"));
            }
          },
        });
      }),
  };
  return {
    source,
    requests,
    /** The next request released fails, as a refused connection would. */
    failNext: () => (failures += 1),
  };
}

/** Chat and profiles behind one ViewerPrefetch, with every prefetch's outcome. */
function gateway() {
  const outcomes: string[] = [];
  const prefetch = new ViewerPrefetch({
    maxOperations: 10,
    onPrefetch: (name, outcome) => outcomes.push(`${name}:${outcome}`),
  });
  const chat = subgraph("chat");
  const profiles = subgraph("profiles");
  return {
    chat,
    profiles,
    outcomes,
    chatSource: prefetch.wrap("chat", chat.source),
    profilesSource: prefetch.wrap("profiles", profiles.source),
  };
}

type Gateway = ReturnType<typeof gateway>;

/**
 * Runs `SendMessage`'s plan as @apollo/gateway would: chat's root fetch, then profiles' fetch of
 * the card of the sender chat answered with. Releases each request as it is made.
 */
async function sendMessage(
  gw: Gateway,
  viewerId: string | null,
  { senderId = viewerId, operation = "mutation" } = {},
) {
  const incomingRequestContext = {
    operationName: "SendMessage",
    queryHash: "send-message",
    operation: { operation },
  };
  const base = {
    kind: "incoming operation",
    incomingRequestContext,
    context: { viewer: viewerId ? { id: viewerId } : null },
  };
  const sent = gw.chatSource.process({
    ...base,
    request: { query: SEND_QUERY, variables: { input: { body: "hi" } } },
  } as unknown as Options);
  await nextTurn();
  // What profiles was asked before chat answered.
  const prefetched = gw.profiles.requests.length;
  gw.chat.requests.at(-1)!.release();
  await sent;
  for (const request of gw.profiles.requests) request.release();
  const card = gw.profilesSource.process({
    ...base,
    request: {
      query: CARD_QUERY,
      operationName: "SendMessage__profiles__1",
      variables: { representations: [{ __typename: "User", id: senderId }] },
    },
  } as unknown as Options);
  await nextTurn();
  for (const request of gw.profiles.requests) request.release();
  const answer = await card;
  const asked = gw.profiles.requests.splice(0);
  return { prefetched, answer, asked };
}

describe("ViewerPrefetch", () => {
  it(`sends the viewer's entity fetch with the first fetch once learned (${PREFETCH_AFTER} in a row), and the plan takes its answer`, async () => {
    const gw = gateway();
    for (let execution = 0; execution < PREFETCH_AFTER; execution++) {
      const { prefetched, asked } = await sendMessage(gw, "ada");
      expect(prefetched).toBe(0);
      expect(asked).toHaveLength(1);
    }
    const { prefetched, answer, asked } = await sendMessage(gw, "ada");
    expect(prefetched).toBe(1);
    // One request to profiles in all: the prefetch, whose answer the plan's fetch got.
    expect(asked.map((request) => request.variables)).toEqual([
      { representations: [{ __typename: "User", id: "ada" }] },
    ]);
    expect(answer.data).toEqual({
      from: "profiles",
      variables: { representations: [{ __typename: "User", id: "ada" }] },
    });
    // Learned per operation, not per person.
    expect((await sendMessage(gw, "grace")).prefetched).toBe(1);
    expect(gw.outcomes).toEqual([
      "profiles:sent",
      "profiles:used",
      "profiles:sent",
      "profiles:used",
    ]);
  });

  it("sends the plan's own fetch when it asks for someone else, and stops prefetching", async () => {
    const gw = gateway();
    for (let execution = 0; execution < PREFETCH_AFTER; execution++) await sendMessage(gw, "ada");
    const { prefetched, answer, asked } = await sendMessage(gw, "ada", { senderId: "grace" });
    expect(prefetched).toBe(1);
    expect(asked.map((request) => request.variables)).toEqual([
      { representations: [{ __typename: "User", id: "ada" }] },
      { representations: [{ __typename: "User", id: "grace" }] },
    ]);
    expect(answer.data).toMatchObject({
      variables: { representations: [{ __typename: "User", id: "grace" }] },
    });
    expect(gw.outcomes).toEqual(["profiles:sent", "profiles:unused"]);
    // The prediction starts over.
    expect((await sendMessage(gw, "ada")).prefetched).toBe(0);
  });

  it("never prefetches from a subgraph a mutation's root fields write to", async () => {
    const gw = gateway();
    // A mutation of profiles itself whose plan then asks profiles for the viewer's card.
    const mutationOfProfiles = async () => {
      const incomingRequestContext = { queryHash: "h", operation: { operation: "mutation" } };
      const base = {
        kind: "incoming operation",
        incomingRequestContext,
        context: { viewer: { id: "ada" } },
      };
      const root = gw.profilesSource.process({
        ...base,
        request: { query: "mutation{updateProfile{id}}", variables: {} },
      } as unknown as Options);
      await nextTurn();
      const before = gw.profiles.requests.length;
      for (const request of gw.profiles.requests) request.release();
      await root;
      const card = gw.profilesSource.process({
        ...base,
        request: {
          query: CARD_QUERY,
          variables: { representations: [{ __typename: "User", id: "ada" }] },
        },
      } as unknown as Options);
      await nextTurn();
      for (const request of gw.profiles.requests) request.release();
      await card;
      gw.profiles.requests.splice(0);
      return before;
    };
    for (let execution = 0; execution <= PREFETCH_AFTER + 1; execution++) {
      // Only the root fetch itself was sent before it answered.
      expect(await mutationOfProfiles()).toBe(1);
    }
    expect(gw.outcomes).toEqual([]);
  });

  it("prefetches nothing for anonymous requests", async () => {
    const gw = gateway();
    for (let execution = 0; execution <= PREFETCH_AFTER + 1; execution++) {
      const { prefetched, asked } = await sendMessage(gw, null, { senderId: "ada" });
      expect(prefetched).toBe(0);
      expect(asked).toHaveLength(1);
    }
    expect(gw.outcomes).toEqual([]);
  });

  it("sends the plan's fetch again when the prefetch failed", async () => {
    const gw = gateway();
    for (let execution = 0; execution < PREFETCH_AFTER; execution++) await sendMessage(gw, "ada");
    gw.profiles.failNext();
    const { prefetched, answer, asked } = await sendMessage(gw, "ada");
    expect(prefetched).toBe(1);
    expect(asked).toHaveLength(2);
    expect(answer.data).toMatchObject({ from: "profiles" });
  });
});
