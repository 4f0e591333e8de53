import type { Logger } from "../logging/logger.ts";
import { stopTracing } from "../telemetry/tracing.ts";

/** How long a process may take to shut down before it exits with 1 (deploy/ sizes pods by it). */
export const SHUTDOWN_GRACE_MS = 15_000;

/**
 * Keeps a process serving until SIGTERM or SIGINT, then runs `shutdown` once and exits: 0 when it
 * finished, 1 when it failed or took longer than `graceMs`. Call it before listening: a signal
 * that arrives before Node has a listener kills the process without a shutdown.
 */
export function runUntilSignal(
  logger: Logger,
  shutdown: () => Promise<void>,
  graceMs = SHUTDOWN_GRACE_MS,
) {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      logger.error("shutdown took too long, exiting");
      process.exit(1);
    }, graceMs);
    deadline.unref();
    // The last spans (the shutdown's own included) leave before the process does.
    shutdown()
      .finally(() => stopTracing())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
