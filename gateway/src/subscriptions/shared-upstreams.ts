import type { ExecutionResult, Sink, SubscribePayload } from "graphql-ws";
import {
  RESUME_AFTER_EXTENSION,
  SHARED_STATE_EXTENSION,
  SUBSCRIBER_IDENTITY_EXTENSION,
} from "@pulse/platform/server";
import type { UpstreamSubscriber } from "./upstream.ts";

/** One upstream subscription and the subscribers it serves. */
interface Stream {
  /** Subscriptions that may share it: same subgraph URL, operation and variables. */
  group: string;
  members: Set<Member>;
  /** What graphql-ws sends upstream, again on reconnection: its position and an identity. */
  payload: SubscribePayload;
  /** The shared state its last event named, if it named one (`SHARED_STATE_EXTENSION`). */
  state: string | undefined;
  closed: boolean;
  unsubscribe: () => void;
}

/** A subscriber and the stream serving it now (which changes when streams merge). */
interface Member {
  sink: Sink<ExecutionResult>;
  stream: Stream;
  /** Its signed identity, valid while it is subscribed (the gateway ends it before it expires). */
  identity: unknown;
}

/**
 * Primary subscriptions that share upstream subscriptions once they can. Each subscriber starts
 * with its own (its start, resume position and identity are its own), but when a stream's event
 * names the state it left the stream in, and another stream of the same operation and variables
 * on the same subgraph last named the same state, the two have told their subscribers the same
 * and will tell them the same from then on: the newer one's subscribers move to the older one and
 * the newer one is unsubscribed. A thousand watchers of one leaderboard then cost the subgraph one
 * subscription, and the gateway reads and plans each change once.
 *
 * The subgraph names states only for operations whose events are the same for every subscriber,
 * so the identity a shared stream subscribes with decides nothing but that someone may: it is one
 * of its current subscribers', replaced when that one leaves, so that a re-subscription after a
 * reconnection never carries an identity that expired. Each stream keeps its own resume position
 * in the payload graphql-ws re-sends on reconnection.
 */
export class SharedUpstreams implements UpstreamSubscriber {
  /** Streams by group and the state they are in: where a stream reaching it joins. */
  private readonly waiting = new Map<string, Stream>();
  private streams = 0;

  constructor(private readonly upstream: UpstreamSubscriber) {}

  /** Upstream subscriptions open now. */
  get open(): number {
    return this.streams;
  }

  subscribe(httpUrl: string, payload: SubscribePayload, sink: Sink<ExecutionResult>): () => void {
    // Its own copy of the extensions: the stream's resume position goes there, whoever it serves.
    const own: SubscribePayload = { ...payload, extensions: { ...payload.extensions } };
    const stream: Stream = {
      group: groupOf(httpUrl, payload),
      members: new Set(),
      payload: own,
      state: undefined,
      closed: false,
      unsubscribe: () => {},
    };
    const member: Member = {
      sink,
      stream,
      identity: payload.extensions?.[SUBSCRIBER_IDENTITY_EXTENSION],
    };
    stream.members.add(member);
    this.streams += 1;
    const unsubscribe = this.upstream.subscribe(httpUrl, own, {
      next: (event) => this.receive(stream, event),
      error: (error) => {
        for (const each of [...stream.members]) each.sink.error(error);
      },
      complete: () => {
        for (const each of [...stream.members]) each.sink.complete();
      },
    });
    stream.unsubscribe = () => {
      if (stream.closed) return;
      stream.closed = true;
      this.streams -= 1;
      this.forget(stream);
      unsubscribe();
    };
    return () => {
      const current = member.stream;
      current.members.delete(member);
      const [next] = current.members;
      if (!next) current.unsubscribe();
      else if (current.payload.extensions![SUBSCRIBER_IDENTITY_EXTENSION] === member.identity) {
        current.payload.extensions![SUBSCRIBER_IDENTITY_EXTENSION] = next.identity;
      }
    };
  }

  private receive(stream: Stream, event: ExecutionResult): void {
    if (stream.closed) return;
    const position = event.extensions?.[RESUME_AFTER_EXTENSION];
    if (typeof position === "string") stream.payload.extensions![RESUME_AFTER_EXTENSION] = position;
    for (const member of [...stream.members]) member.sink.next(event);
    if (stream.closed) return;
    const state = event.extensions?.[SHARED_STATE_EXTENSION];
    this.forget(stream);
    if (typeof state !== "string") return;
    stream.state = state;
    const key = `${stream.group}\n${state}`;
    const other = this.waiting.get(key);
    if (!other) {
      this.waiting.set(key, stream);
      return;
    }
    // Both streams told their subscribers the same: this one's join the other, which goes on.
    for (const member of stream.members) {
      member.stream = other;
      other.members.add(member);
    }
    stream.members.clear();
    stream.unsubscribe();
  }

  /** Takes `stream` out of the states streams wait in. */
  private forget(stream: Stream): void {
    if (stream.state === undefined) return;
    const key = `${stream.group}\n${stream.state}`;
    if (this.waiting.get(key) === stream) this.waiting.delete(key);
    stream.state = undefined;
  }
}

/** What subscriptions sharing a stream must have in common. */
function groupOf(httpUrl: string, payload: SubscribePayload): string {
  const { operationName, query, variables } = payload;
  return [httpUrl, operationName ?? "", query, JSON.stringify(variables ?? {})].join("\n");
}
