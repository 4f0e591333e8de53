import { isUnavailableError } from "@pulse/platform/server";
import { tabulate, type MixedLoad, type Outcome } from "./load.ts";

/**
 * How long a dependency stays down in the fault tests. The issue asks for 30 s; 5 s keeps CI
 * reasonable and exercises the same paths (clients give up and reconnect well within it).
 * `FAULT_SECONDS=30 pnpm vitest run --project e2e test/e2e/faults` runs the figure.
 */
export const FAULT_SECONDS = Number(process.env.FAULT_SECONDS ?? 5);

/** How long the load may take to succeed at everything again once the fault is over. */
const RECOVERY_TIMEOUT_MS = 60_000;

/** For the tests' own timeouts: warm-up, the fault, recovery and the checks after it. */
export const FAULT_TEST_TIMEOUT_MS = FAULT_SECONDS * 1000 + 2 * RECOVERY_TIMEOUT_MS;

export interface FaultFigures {
  /** Requests sent from the fault's start until everything succeeded again. */
  requests: number;
  failed: number;
  /** Requests that had not ended after `HANG_MS`. */
  hangs: number;
  /** Distinct `operation ending` of answers a client must never get: 5xx, internal errors. */
  serverErrors: string[];
  /** Requests sent before the fault began that ended after it: in flight when it struck. */
  inFlight: number;
  /** Of those, the ones that did not succeed. */
  inFlightFailed: number;
  /** The slowest failed request, in ms: failing fast means this stays small. */
  slowestFailureMs: number;
  /** From the fault's end until every operation had succeeded again, in ms. */
  recoveryMs: number;
  /** Every outcome from the fault's start to recovery, per operation and ending. */
  table: Record<string, string | number>[];
}

/** Whether an outcome is one no fault may cause: a 5xx, an internal error or a thrown request. */
export function isServerError(outcome: Pick<Outcome, "ending" | "status">): boolean {
  return (
    outcome.status >= 500 ||
    outcome.ending === "INTERNAL_SERVER_ERROR" ||
    outcome.ending.startsWith("THROWN") ||
    outcome.ending.startsWith("HTTP 5")
  );
}

/**
 * Runs `load`, waits until every operation succeeded once, starts the fault (`begin` returns
 * how to end it), keeps it for {@link FAULT_SECONDS}, ends it, and waits until every operation
 * succeeded again, twice over (so the load ran on past recovery); then stops the load.
 */
export async function hold(
  load: MixedLoad,
  begin: () => Promise<() => Promise<void>>,
  seconds = FAULT_SECONDS,
): Promise<FaultFigures> {
  load.start();
  try {
    await load.untilEachSucceeded(performance.now(), RECOVERY_TIMEOUT_MS);
    const faultAt = performance.now();
    const end = await begin();
    // The fault's length is the scenario itself, not a wait for something to happen.
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await end();
    const endedAt = performance.now();
    await load.untilEachSucceeded(endedAt, RECOVERY_TIMEOUT_MS);
    const recoveredAt = performance.now();
    await load.untilEachSucceeded(recoveredAt, RECOVERY_TIMEOUT_MS);
    const during = load.between(faultAt, recoveredAt);
    const failures = during.filter((outcome) => outcome.ending !== "ok");
    const inFlight = load.outcomes.filter(
      (outcome) => outcome.sentAt < faultAt && outcome.sentAt + outcome.ms > faultAt,
    );
    return {
      requests: during.length,
      failed: failures.length,
      hangs: load.outcomes.filter((outcome) => outcome.ending === "HANG").length,
      serverErrors: [
        ...new Set(
          load.outcomes
            .filter(isServerError)
            .map((outcome) => `${outcome.operation} ${outcome.ending} (${outcome.status})`),
        ),
      ],
      inFlight: inFlight.length,
      inFlightFailed: inFlight.filter((outcome) => outcome.ending !== "ok").length,
      slowestFailureMs: Math.round(Math.max(0, ...failures.map((outcome) => outcome.ms))),
      recoveryMs: Math.round(recoveredAt - endedAt),
      table: tabulate(during),
    };
  } finally {
    await load.stop();
  }
}

/**
 * The internal errors the stack's processes logged that do not say a dependency was down: what
 * lies behind a server error a fault test finds, for its failure message.
 */
export function unexplainedErrors(stack: {
  logs: Record<string, Record<string, unknown>[]>;
  gatewayLogs: Record<string, unknown>[];
}): string[] {
  const all = [...Object.entries(stack.logs), ["gateway", stack.gatewayLogs] as const];
  return [
    ...new Set(
      all.flatMap(([service, lines]) =>
        lines
          .filter((line) => line.msg === "internal error" && !isUnavailableError(line.err))
          .map((line) => {
            const err = (line.err ?? {}) as { type?: string; code?: string; message?: string };
            return `${service} ${JSON.stringify(line.path)}: ${err.type} ${err.code ?? ""} ${err.message}`;
          }),
      ),
    ),
  ];
}

/** Prints a fault's figures, the ones docs/operations.md records. */
export function report(
  fault: string,
  figures: FaultFigures & { eventsLost: number; duplicated: number },
): void {
  const { table, ...summary } = figures;
  console.log(`\n${fault}`);
  console.table([{ ...summary, serverErrors: summary.serverErrors.join("; ") || "none" }]);
  console.table(table);
}
