// The child side of the parent's IPC channel: a role process says it is listening, answers
// memory and stall readings, collects its garbage, and shuts down on request.
import { watchStalls, type StallReading } from "./stalls.ts";

/** Messages a role process sends its parent. */
export type ChildMessage =
  | { type: "ready"; url: string }
  | { type: "memory"; id: number; rss: number; heapUsed: number }
  | { type: "stalls"; id: number; reading: StallReading }
  | { type: "collect"; id: number }
  | { type: "statements"; id: number; count: number };

/** Messages the parent sends a role process. */
export type ParentMessage =
  | { type: "memory"; id: number }
  | { type: "stalls"; id: number; reset: boolean }
  | { type: "collect"; id: number }
  | { type: "statements"; id: number }
  | { type: "stop" };

function send(message: ChildMessage): void {
  process.send?.(message);
}

/**
 * Announces `url`, then serves the parent: memory readings (after a full collection when Node
 * runs with --expose-gc, so garbage not yet collected does not count as held memory), stall
 * readings, full collections on request, the SQL statements sent so far (`statements`, for a
 * process that counts them; 0 otherwise), and a graceful `close` on "stop" or SIGTERM.
 */
export function serveParent(
  url: string,
  close: () => Promise<void>,
  statements: () => number = () => 0,
): void {
  const stalls = watchStalls();
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= close()
      .catch((error: unknown) => console.error("close failed", error))
      .finally(() => process.exit(0));
  };
  process.on("message", (message: ParentMessage) => {
    if (message.type === "stop") return stop();
    if (message.type === "stalls") {
      send({ type: "stalls", id: message.id, reading: stalls.read(message.reset) });
      return;
    }
    if (message.type === "statements") {
      send({ type: "statements", id: message.id, count: statements() });
      return;
    }
    globalThis.gc?.();
    if (message.type === "collect") {
      send({ type: "collect", id: message.id });
      return;
    }
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: "memory", id: message.id, rss, heapUsed });
  });
  process.on("SIGTERM", stop);
  // The parent died without stopping us: do not linger holding ports and connections.
  process.on("disconnect", stop);
  send({ type: "ready", url });
}
