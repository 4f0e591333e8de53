/**
 * A subscription's place in a resumable stream: one whose subscribe can start after a position
 * (chat's `messageAdded` replays the messages after a cursor). With it, the gateway loses and
 * repeats nothing when its socket to the subgraph drops (a restart, a replica going away): each
 * event's result carries the position it reached, and the gateway re-subscribes after the last
 * one it received (see `RESUME_AFTER_EXTENSION`).
 */
export class StreamResume {
  private reachedPosition: string | undefined;

  /** @param after where to resume: after the last event the gateway received, if it had any. */
  constructor(readonly after: string | undefined) {}

  /**
   * Records where the event being resolved leaves the stream. The root field's resolver calls it:
   * graphql-ws sends an event's result before the next event is resolved, so the two match.
   */
  reached(position: string): void {
    this.reachedPosition = position;
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
}
