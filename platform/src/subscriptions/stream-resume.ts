/**
 * How far before the gateway's `subscribedAt` a stream without a position starts. It covers the
 * skew between the gateway's clock and the database's, plus the time a transaction may take
 * between taking its item's timestamp and committing (see ADR 0018). Items committed within it
 * before the subscribe are delivered too: clients that must not see one twice pass `after`.
 */
export const SUBSCRIBED_AT_MARGIN_MS = 1000;

/**
 * A subscription's place in a resumable stream: one whose subscribe can start after a position
 * (chat's `messageAdded` replays the messages after a cursor). With it, the gateway loses and
 * repeats nothing when its socket to the subgraph drops (a restart, a replica going away): each
 * event's result carries the position it reached, and the gateway re-subscribes after the last
 * one it received (see `RESUME_AFTER_EXTENSION`).
 */
export class StreamResume {
  private reachedPosition: string | undefined;
  private reachedState: string | undefined;

  /**
   * Where a stream with no position to resume from starts: with the items committed since this
   * instant (of the database's clock), when the gateway said when its client subscribed. Without
   * it, the stream starts with what is committed from now on.
   */
  readonly since: Date | undefined;

  /**
   * @param after where to resume: after the last event the gateway received, if it had any.
   * @param subscribedAt when the client's subscribe reached the gateway (the gateway's clock), if
   *   it said; {@link SUBSCRIBED_AT_MARGIN_MS} earlier becomes `since`.
   * @param shareable whether the operation's events are the same for every subscriber (it selects
   *   no per-viewer field), so the states events reach may be named (`SHARED_STATE_EXTENSION`).
   */
  constructor(
    readonly after: string | undefined,
    subscribedAt?: Date,
    private readonly shareable = false,
  ) {
    this.since = subscribedAt && new Date(subscribedAt.getTime() - SUBSCRIBED_AT_MARGIN_MS);
  }

  /**
   * Records where the event being resolved leaves the stream. The root field's resolver calls it:
   * graphql-ws sends an event's result before the next event is resolved, so the two match.
   */
  reached(position: string, sharedState?: string): void {
    this.reachedPosition = position;
    this.reachedState = this.shareable ? sharedState : undefined;
  }

  /**
   * Where the event just resolved left the stream, if its resolver recorded it; forgotten once
   * taken, so an idle subscription holds nothing of its last event.
   */
  takePosition(): string | undefined {
    const position = this.reachedPosition;
    this.reachedPosition = undefined;
    return position;
  }

  /**
   * The name of the state the event just resolved left the stream in, when its resolver gave one
   * and the operation is the same for every subscriber; forgotten once taken.
   */
  takeSharedState(): string | undefined {
    const state = this.reachedState;
    this.reachedState = undefined;
    return state;
  }
}
