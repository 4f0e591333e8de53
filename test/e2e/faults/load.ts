import type { GraphQLResponse } from "@pulse/testkit/api-client";

/**
 * Mixed load for the fault tests: a few loops, each sending one kind of request again and again
 * until stopped, recording how each request ended and when. A request that has not ended after
 * {@link HANG_MS} counts as a hang: the faults must make requests fail, never stall.
 */
export const HANG_MS = 10_000;

/**
 * How a request ended: `ok`, `UNAVAILABLE` (a dependency did not answer), its first error's
 * `extensions.code`, `HTTP <status>`, `THROWN <message>` or `HANG`.
 */
export type Ending = string;

export interface Outcome {
  operation: string;
  /** When it was sent, from `performance.now()`. */
  sentAt: number;
  ms: number;
  ending: Ending;
  status: number;
}

export type Operation = () => Promise<GraphQLResponse>;

/** What the load sends requests with: an `ApiClient`, or one that picks a gateway per request. */
export interface Client {
  op(name: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
}

/** How a response ended, for the tables: a bare internal error among its errors wins. */
export function endingOf(response: GraphQLResponse): Ending {
  const errors = response.errors ?? [];
  // An internal error that says a dependency did not answer is the clear error a fault may cause.
  const unavailable = (error: (typeof errors)[number]) =>
    error.extensions?.reason === "UNAVAILABLE";
  if (
    errors.some(
      (error) => error.extensions?.code === "INTERNAL_SERVER_ERROR" && !unavailable(error),
    )
  ) {
    return "INTERNAL_SERVER_ERROR";
  }
  const extensions = errors[0]?.extensions;
  if (errors[0] && unavailable(errors[0])) return "UNAVAILABLE";
  const code = extensions?.code;
  if (typeof code === "string") return code;
  if (response.errors?.length) return "ERROR WITHOUT CODE";
  return response.status === 200 ? "ok" : `HTTP ${response.status}`;
}

export class MixedLoad {
  readonly outcomes: Outcome[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  /** `pauseMs`: each loop's rest between requests, to keep a steady load modest. */
  constructor(
    private readonly operations: Record<string, Operation>,
    private readonly pauseMs = 0,
  ) {}

  start(): void {
    this.running = true;
    this.loops = Object.entries(this.operations).map(([name, operation]) =>
      this.loop(name, operation),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /**
   * Resolves once every operation succeeded at least once after `since`; rejects, naming those
   * that did not, after `timeoutMs`.
   */
  async untilEachSucceeded(since: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const waiting = () =>
      Object.keys(this.operations).filter(
        (name) =>
          !this.outcomes.some(
            (o) => o.operation === name && o.ending === "ok" && o.sentAt >= since,
          ),
      );
    while (waiting().length > 0) {
      if (performance.now() > deadline) {
        throw new Error(`no success within ${timeoutMs} ms for ${waiting().join(", ")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The outcomes sent in [from, to). */
  between(from: number, to = Infinity): Outcome[] {
    return this.outcomes.filter((o) => o.sentAt >= from && o.sentAt < to);
  }

  private async loop(name: string, operation: Operation): Promise<void> {
    while (this.running) {
      const sentAt = performance.now();
      const { ending, status } = await timed(operation);
      this.outcomes.push({
        operation: name,
        sentAt,
        ms: performance.now() - sentAt,
        ending,
        status,
      });
      // A client backs off a little before trying again.
      const pause = ending === "ok" ? this.pauseMs : Math.max(50, this.pauseMs);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** Runs `operation`, naming a thrown error and a request that outlasts {@link HANG_MS}. */
async function timed(operation: Operation): Promise<{ ending: Ending; status: number }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<{ ending: Ending; status: number }>((resolve) => {
    timer = setTimeout(() => resolve({ ending: "HANG", status: 0 }), HANG_MS);
  });
  try {
    return await Promise.race([
      operation().then(
        (response) => ({ ending: endingOf(response), status: response.status }),
        (error: Error) => ({ ending: `THROWN ${error.message}`, status: 0 }),
      ),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Per operation and ending: how many requests, and the slowest. */
export function tabulate(outcomes: Outcome[]): Record<string, string | number>[] {
  const rows = new Map<
    string,
    { operation: string; ending: Ending; requests: number; maxMs: number }
  >();
  for (const outcome of outcomes) {
    const key = `${outcome.operation} ${outcome.ending}`;
    const row = rows.get(key) ?? {
      operation: outcome.operation,
      ending: outcome.ending,
      requests: 0,
      maxMs: 0,
    };
    row.requests += 1;
    row.maxMs = Math.max(row.maxMs, outcome.ms);
    rows.set(key, row);
  }
  return [...rows.values()]
    .sort((a, b) => a.operation.localeCompare(b.operation) || a.ending.localeCompare(b.ending))
    .map((row) => ({ ...row, maxMs: Math.round(row.maxMs) }));
}
