import { readFileSync } from "node:fs";

/** This process's soft limit on open files (children inherit it), or undefined off Linux. */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((text) => text.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === "unlimited" ? Number.POSITIVE_INFINITY : Number(soft) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses to start when `connections` sockets (one descriptor each in the driver and in the
 * server, plus a margin for everything else) would not fit: Node cannot raise its own limit.
 */
export function requireOpenFiles(connections: number): void {
  const limit = openFileLimit();
  const needed = connections + 1_000;
  if (limit !== undefined && limit < needed) {
    throw new Error(
      `the open-file limit is ${limit}, ${connections} connections need about ${needed}: run \`ulimit -n ${needed}\` (or more) in this shell first`,
    );
  }
}
