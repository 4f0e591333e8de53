import type { FormattedExecutionResult } from "graphql";
import WebSocket from "ws";
import {
  createPulseClient,
  memoryTokens,
  type PulseClient,
  type PulseDocument,
  type SessionTokens,
} from "@pulse/client";
import { isServerError } from "../faults/fault-run.ts";
import { endingOf } from "../faults/load.ts";

/** Quick reconnects: a subscriber comes back within a second of losing its gateway. */
const BACKOFF = { baseMs: 50, maxMs: 1000 };

/** An event as the subscriber got it, with the number of the client's socket it came on. */
export interface Delivered<Event> {
  socket: number;
  event: Event;
}

/**
 * One person's subscription through `@pulse/client`, as an app holds it: through the gateways'
 * balancer, reconnecting with backoff and, when the operation takes `$after`, resuming after the
 * last event it delivered. Keeps every event, which socket brought it, and when each socket
 * opened (a reconnection after its gateway went away).
 */
export class LiveFeed<Result, Variables, Event> {
  readonly delivered: Delivered<Event>[] = [];
  /** When each of the client's sockets was opened, from `performance.now()`. */
  readonly socketsOpenedAt: number[] = [];
  /** The endings of results that carried errors a fault may not cause (see `isServerError`). */
  readonly serverErrors: string[] = [];
  /** Set if the client gave up on the subscription or the API completed it. */
  ended: string | null = null;
  private readonly client: PulseClient;
  private readonly stop: () => void;

  constructor(
    graphqlUrl: string,
    tokens: SessionTokens,
    document: PulseDocument<Result, Variables>,
    variables: Variables,
    pick: (data: Result) => Event,
  ) {
    const opened = this.socketsOpenedAt;
    this.client = createPulseClient({
      url: graphqlUrl,
      tokens: memoryTokens(tokens),
      backoff: BACKOFF,
      webSocketImpl: class extends WebSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          opened.push(performance.now());
        }
      },
    });
    // `Variables` is still generic here: the client's conditional VariablesOf cannot see it is one.
    this.stop = this.client.subscribe(document, variables as never, {
      next: (result: FormattedExecutionResult<Result>) => {
        const errors = result.errors ? [...result.errors] : undefined;
        const ending = endingOf({ status: 200, headers: new Headers(), errors });
        if (isServerError({ ending, status: 200 })) {
          this.serverErrors.push(ending);
        }
        if (result.data) this.delivered.push({ socket: opened.length, event: pick(result.data) });
      },
      error: (error) => {
        this.ended = `error: ${JSON.stringify(error)}`;
      },
      complete: () => {
        this.ended = "complete";
      },
    });
  }

  get events(): Event[] {
    return this.delivered.map(({ event }) => event);
  }

  /** Sockets opened after `since` (from `performance.now()`): reconnections. */
  reconnectionsSince(since: number, before = Infinity): number {
    return this.socketsOpenedAt.filter((at) => at >= since && at < before).length;
  }

  async close(): Promise<void> {
    this.stop();
    await this.client.dispose();
  }
}
