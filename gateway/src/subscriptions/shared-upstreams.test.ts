import type { ExecutionResult, Sink, SubscribePayload } from "graphql-ws";
import { describe, expect, it, vi } from "vitest";
import {
  RESUME_AFTER_EXTENSION,
  SHARED_STATE_EXTENSION,
  SUBSCRIBER_IDENTITY_EXTENSION,
} from "@pulse/platform/server";
import { SharedUpstreams } from "./shared-upstreams.ts";
import type { UpstreamSubscriber } from "./upstream.ts";

const URL = "http://competitions/graphql";
const QUERY = "subscription($id: ID!) { leaderboardRankChanged(competitionId: $id) { rank } }";

/** An upstream whose subscriptions the test drives: what each was sent, and its sink. */
function fakeUpstream() {
  const opened: {
    payload: SubscribePayload;
    sink: Sink<ExecutionResult>;
    unsubscribe: ReturnType<typeof vi.fn>;
  }[] = [];
  const upstream: UpstreamSubscriber = {
    subscribe(_url, payload, sink) {
      const unsubscribe = vi.fn();
      opened.push({ payload, sink, unsubscribe });
      return unsubscribe;
    },
  };
  return { upstream, opened };
}

/** A subscriber: what it received, and its payload (its identity, the competition). */
function subscriber(identity: string, competitionId = "c1") {
  const received: ExecutionResult[] = [];
  const sink: Sink<ExecutionResult> = {
    next: (event) => received.push(event),
    error: vi.fn(),
    complete: vi.fn(),
  };
  const payload: SubscribePayload = {
    query: QUERY,
    variables: { id: competitionId },
    extensions: { [SUBSCRIBER_IDENTITY_EXTENSION]: identity },
  };
  return { sink, payload, received };
}

/** An event at `position`, naming `state` if given. */
const event = (rank: number, position: string, state?: string): ExecutionResult => ({
  data: { leaderboardRankChanged: { rank } },
  extensions: {
    [RESUME_AFTER_EXTENSION]: position,
    ...(state !== undefined && { [SHARED_STATE_EXTENSION]: state }),
  },
});

describe("SharedUpstreams", () => {
  it("moves the subscribers of a stream that reaches another's state onto it, and closes it", () => {
    const { upstream, opened } = fakeUpstream();
    const streams = new SharedUpstreams(upstream);
    const [a, b, c] = [subscriber("A"), subscriber("B"), subscriber("C")];
    streams.subscribe(URL, a.payload, a.sink);
    streams.subscribe(URL, b.payload, b.sink);
    streams.subscribe(URL, c.payload, c.sink);
    expect(streams.open).toBe(3);

    // Mid-update events name no state: nobody moves.
    opened[0]!.sink.next(event(1, "5", "top-5"));
    opened[1]!.sink.next(event(2, "4.5.1"));
    expect(streams.open).toBe(3);
    // The second reaches the first's state: it closes, its subscriber follows the first.
    opened[1]!.sink.next(event(1, "5", "top-5"));
    expect(opened[1]!.unsubscribe).toHaveBeenCalledTimes(1);
    expect(streams.open).toBe(2);
    // The third is in another state: it stays on its own.
    opened[2]!.sink.next(event(3, "6", "top-6"));
    expect(streams.open).toBe(2);

    const next = event(7, "8", "top-8");
    opened[0]!.sink.next(next);
    // A late event of the closed stream reaches nobody.
    opened[1]!.sink.next(event(9, "9", "top-9"));
    expect(a.received.at(-1)).toBe(next);
    expect(b.received.map((e) => e.data)).toEqual([
      { leaderboardRankChanged: { rank: 2 } },
      { leaderboardRankChanged: { rank: 1 } },
      { leaderboardRankChanged: { rank: 7 } },
    ]);
    expect(c.received).toHaveLength(1);
  });

  it("does not merge a stream that has moved on from the state, nor another operation's", () => {
    const { upstream, opened } = fakeUpstream();
    const streams = new SharedUpstreams(upstream);
    const [a, b, other] = [subscriber("A"), subscriber("B"), subscriber("O", "c2")];
    streams.subscribe(URL, a.payload, a.sink);
    streams.subscribe(URL, b.payload, b.sink);
    streams.subscribe(URL, other.payload, other.sink);

    opened[0]!.sink.next(event(1, "5", "s5"));
    opened[0]!.sink.next(event(2, "6.7.1"));
    opened[1]!.sink.next(event(1, "5", "s5"));
    opened[2]!.sink.next(event(1, "5", "s5"));
    expect(streams.open).toBe(3);
  });

  it("keeps each stream's resume position, and an identity of a subscriber still on it", () => {
    const { upstream, opened } = fakeUpstream();
    const streams = new SharedUpstreams(upstream);
    const [a, b] = [subscriber("A"), subscriber("B")];
    const leaveA = streams.subscribe(URL, a.payload, a.sink);
    const leaveB = streams.subscribe(URL, b.payload, b.sink);
    opened[0]!.sink.next(event(1, "5", "s5"));
    opened[1]!.sink.next(event(1, "5", "s5"));
    opened[0]!.sink.next(event(2, "6", "s6"));

    const sent = opened[0]!.payload.extensions!;
    expect(sent[RESUME_AFTER_EXTENSION]).toBe("6");
    // The subscriber's own payload is left alone.
    expect(a.payload.extensions![RESUME_AFTER_EXTENSION]).toBeUndefined();
    expect(sent[SUBSCRIBER_IDENTITY_EXTENSION]).toBe("A");
    leaveA();
    // A re-subscription after a reconnection goes with B's identity, which is still valid.
    expect(sent[SUBSCRIBER_IDENTITY_EXTENSION]).toBe("B");
    expect(opened[0]!.unsubscribe).not.toHaveBeenCalled();
    leaveB();
    leaveB();
    expect(opened[0]!.unsubscribe).toHaveBeenCalledTimes(1);
    expect(streams.open).toBe(0);
  });

  it("passes an upstream error and completion to every subscriber of the stream", () => {
    const { upstream, opened } = fakeUpstream();
    const streams = new SharedUpstreams(upstream);
    const [a, b] = [subscriber("A"), subscriber("B")];
    streams.subscribe(URL, a.payload, a.sink);
    streams.subscribe(URL, b.payload, b.sink);
    opened[0]!.sink.next(event(1, "5", "s5"));
    opened[1]!.sink.next(event(1, "5", "s5"));
    opened[0]!.sink.error([{ message: "gone" }]);
    expect(a.sink.error).toHaveBeenCalledWith([{ message: "gone" }]);
    expect(b.sink.error).toHaveBeenCalledWith([{ message: "gone" }]);
  });
});
