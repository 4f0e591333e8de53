import type { GraphQLDataSource } from "@apollo/gateway";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { MAX_SHARED_ANSWER_BYTES, SharedFetches } from "./shared-fetches.ts";

type Options = Parameters<GraphQLDataSource["process"]>[0];
type Response = Awaited<ReturnType<GraphQLDataSource["process"]>>;

const SELECTION =
  "($representations:[_Any!]!){_entities(representations:$representations){...on User{profile{displayName}}}}";
const QUERY = `query${SELECTION}`;

/** A subgraph whose answers are released by hand, counting the requests it got. */
function subgraph(
  cacheControl: string | null,
  errors?: { message: string }[],
  contentLength?: number,
) {
  const requests: { release: () => void; fail: (error: Error) => void }[] = [];
  const source: GraphQLDataSource = {
    process: () =>
      new Promise<Response>((resolve, reject) => {
        requests.push({
          release: () =>
            resolve({
              data: { _entities: [{ profile: { displayName: "Ada" } }] },
              ...(errors ? { errors } : {}),
              http: {
                headers: new Headers({
                  ...(cacheControl ? { "cache-control": cacheControl } : {}),
                  ...(contentLength ? { "content-length": String(contentLength) } : {}),
                }),
              },
            } as unknown as Response),
          fail: reject,
        });
      }),
  };
  return { source, requests };
}

function fetchOf(source: GraphQLDataSource, userId = "u1", operationName?: string) {
  const query = operationName ? `query ${operationName}${SELECTION}` : QUERY;
  return source.process({
    request: {
      query,
      operationName,
      variables: { representations: [{ __typename: "User", id: userId }] },
    },
  } as unknown as Options);
}

/** `subgraph(...)` as "profiles" behind shared fetches, with every fetch's outcome. */
function sharedSubgraph(
  cacheControl: string | null,
  errors?: { message: string }[],
  contentLength?: number,
  clock?: { now(): number },
) {
  const outcomes: string[] = [];
  const fetches = new SharedFetches({
    maxAnswers: 100,
    clock,
    onFetch: (name, outcome) => outcomes.push(`${name}:${outcome}`),
  });
  const { source, requests } = subgraph(cacheControl, errors, contentLength);
  return { shared: fetches.wrap("profiles", source), requests, outcomes };
}

/** One fetch, answered by the subgraph. */
async function answered(shared: GraphQLDataSource, requests: { release: () => void }[]) {
  const answer = fetchOf(shared);
  await sleep(0);
  requests.at(-1)!.release();
  return answer;
}

/** A clock for max-ages that the test moves, instead of waiting for time to pass. */
function testClock() {
  let now = 1_000;
  return {
    now: () => now,
    letTimePass: (ms: number) => {
      now += ms;
    },
  };
}

describe("SharedFetches", () => {
  it("answers concurrent identical requests with one public answer, each its own copy", async () => {
    const { shared, requests, outcomes } = sharedSubgraph("max-age=5, public");
    const first = fetchOf(shared);
    const second = fetchOf(shared);
    await sleep(0);
    expect(requests).toHaveLength(1);
    requests[0]!.release();
    const [a, b] = await Promise.all([first, second]);
    expect(b.data).toEqual(a.data);
    expect(b.data).not.toBe(a.data);
    // Later requests within the max-age are answered from the kept one, copies too.
    const third = await fetchOf(shared);
    (
      third.data as { _entities: { profile: { displayName: string } }[] }
    )._entities[0]!.profile.displayName = "changed";
    expect((await fetchOf(shared)).data).toEqual(a.data);
    expect(requests).toHaveLength(1);
    expect(outcomes).toEqual([
      "profiles:sent",
      "profiles:shared",
      "profiles:shared",
      "profiles:shared",
    ]);
  });

  it("keeps a public answer for its max-age only", async () => {
    const clock = testClock();
    const { shared, requests } = sharedSubgraph("max-age=1, public", undefined, undefined, clock);
    await answered(shared, requests);
    clock.letTimePass(999);
    await fetchOf(shared);
    expect(requests).toHaveLength(1);
    clock.letTimePass(2);
    const again = fetchOf(shared);
    await sleep(0);
    expect(requests).toHaveLength(2);
    requests[1]!.release();
    await again;
  });

  it("drops expired answers, not only once pushed out by newer ones", async () => {
    const clock = testClock();
    const fetches = new SharedFetches({ maxAnswers: 100, clock });
    const { source, requests } = subgraph("max-age=1, public");
    const shared = fetches.wrap("profiles", source);
    const ask = async (userId: string) => {
      const answer = fetchOf(shared, userId);
      await sleep(0);
      requests.at(-1)!.release();
      await answer;
    };
    await ask("u1");
    await ask("u2");
    expect(fetches.kept).toBe(2);
    clock.letTimePass(1_100);
    // Keeping the next answer drops both expired ones.
    await ask("u3");
    expect(fetches.kept).toBe(1);
  });

  it("does not share between different requests", async () => {
    const { shared, requests } = sharedSubgraph("max-age=5, public");
    const answers = [fetchOf(shared, "u1"), fetchOf(shared, "u2")];
    await sleep(0);
    expect(requests).toHaveLength(2);
    for (const request of requests) request.release();
    await Promise.all(answers);
  });

  for (const [what, cacheControl, errors, contentLength] of [
    ["private", "max-age=5, private", undefined, undefined],
    ["uncacheable", "no-store", undefined, undefined],
    ["without a header", null, undefined, undefined],
    ["public but with errors", "max-age=5, public", [{ message: "boom" }], undefined],
    ["public but too large to keep", "max-age=5, public", undefined, MAX_SHARED_ANSWER_BYTES + 1],
  ] as const) {
    it(`gives an answer ${what} to its requester only`, async () => {
      const { shared, requests, outcomes } = sharedSubgraph(
        cacheControl,
        errors ? [...errors] : undefined,
        contentLength,
      );
      const first = fetchOf(shared);
      const second = fetchOf(shared);
      await sleep(0);
      expect(requests).toHaveLength(1);
      requests[0]!.release();
      await first;
      await sleep(0);
      // The one that waited sends its own.
      expect(requests).toHaveLength(2);
      requests[1]!.release();
      await second;
      expect(outcomes).toEqual(["profiles:sent", "profiles:sent"]);
    });
  }

  it("stops making a query wait once its answer was private", async () => {
    const { shared, requests } = sharedSubgraph("max-age=5, private");
    await answered(shared, requests);
    // The same query, other entities too: every request goes out at once.
    const next = [fetchOf(shared, "u1"), fetchOf(shared, "u1"), fetchOf(shared, "u2")];
    await sleep(0);
    expect(requests).toHaveLength(4);
    for (const request of requests.slice(1)) request.release();
    await Promise.all(next);
  });

  it("lets a failed fetch fail its requester only; those waiting send their own", async () => {
    const { shared, requests } = sharedSubgraph("max-age=5, public");
    const first = fetchOf(shared);
    const second = fetchOf(shared);
    await sleep(0);
    requests[0]!.fail(new TypeError("fetch failed"));
    await expect(first).rejects.toThrow("fetch failed");
    await sleep(0);
    expect(requests).toHaveLength(2);
    requests[1]!.release();
    expect((await second).data).toBeDefined();
  });

  it("lets events take what queries fetched, under any operation name, and never answers a query", async () => {
    const outcomes: string[] = [];
    const fetches = new SharedFetches({
      maxAnswers: 100,
      onFetch: (name, outcome) => outcomes.push(`${name}:${outcome}`),
    });
    const { source, requests } = subgraph("max-age=5, public");
    const forQueries = fetches.offering("profiles", source);
    const forEvents = fetches.wrap("profiles", source);
    // A mutation's fetch in flight: the event's identical one waits for it.
    const mutation = fetchOf(forQueries, "u1", "SendMessage__profiles__1");
    const event = fetchOf(forEvents, "u1", "OnMessageAdded__profiles__1");
    await sleep(0);
    expect(requests).toHaveLength(1);
    requests[0]!.release();
    expect((await event).data).toEqual((await mutation).data);
    // A query always asks the subgraph, even with a public answer kept...
    const query = fetchOf(forQueries, "u1", "SendMessage__profiles__1");
    await sleep(0);
    expect(requests).toHaveLength(2);
    requests[1]!.release();
    await query;
    // ...which events then take.
    await fetchOf(forEvents, "u1", "OnMessageAdded__profiles__1");
    expect(requests).toHaveLength(2);
    expect(outcomes).toEqual(["profiles:shared", "profiles:shared"]);
  });
});
