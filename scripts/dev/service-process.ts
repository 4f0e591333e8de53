import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { styleText } from "node:util";
import { prettyFactory } from "pino-pretty";

const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const colors = Boolean(process.stdout.isTTY);
const prettify = prettyFactory({
  colorize: colors,
  translateTime: "HH:MM:ss.l",
  // The prefix already names the service; pid and hostname are noise on one machine.
  ignore: "pid,hostname,service",
});
const STOP_GRACE_MS = 20_000;

/** Running watchers; detached, they would outlive a runner that dies before stopping them. */
const unstopped = new Set<number>();
process.once("exit", () => unstopped.forEach((pid) => killGroup(pid, "SIGTERM")));

/** A service (subgraph or gateway) running under `tsx watch`. */
export interface ServiceProcess {
  name: string;
  /** Whether the watcher itself has exited (a crashed service under watch keeps it running). */
  readonly exited: boolean;
  /** Stops the service and its watcher, force-killing them after a grace period. */
  stop(): Promise<void>;
}

/**
 * Starts `entry` (relative to `cwd`) under `tsx watch`, so code edits restart it, with each output
 * line prefixed by `[name]` and pino's JSON lines made readable. Reports an exit nobody asked for.
 */
export function startService(options: {
  name: string;
  cwd: string;
  entry: string;
  env: NodeJS.ProcessEnv;
}): ServiceProcess {
  const { name } = options;
  // Traced, as in production, when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md#traces).
  const watch = ["watch", "--clear-screen=false", "--import", "@pulse/platform/tracing"];
  const child = spawn(process.execPath, [tsxCli, ...watch, options.entry], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: a signal meant for the runner's group never reaches it on top of
    // the runner's own SIGTERM (tsx watch force-kills its child on a second signal), and a
    // forced stop kills the watcher and the service it runs together.
    detached: true,
  });
  const prefix = colors ? styleText("cyan", `[${name}]`) : `[${name}]`;
  pipeLines(child.stdout, prefix, process.stdout);
  pipeLines(child.stderr, prefix, process.stderr);

  let stopping = false;
  child.once("error", (error) => console.error(`${prefix} could not start: ${error.message}`));
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      service.exited = true;
      if (child.pid) unstopped.delete(child.pid);
      if (!stopping) console.error(`${prefix} exited unexpectedly (${signal ?? `code ${code}`})`);
      resolve();
    });
  });
  if (child.pid) unstopped.add(child.pid);

  const service = {
    name,
    exited: false,
    async stop() {
      stopping = true;
      if (child.pid) unstopped.delete(child.pid);
      if (service.exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  return service;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  try {
    if (pid) process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function pipeLines(source: Readable, prefix: string, target: NodeJS.WriteStream): void {
  createInterface({ input: source, crlfDelay: Infinity }).on("line", (line) => {
    const text = line.startsWith("{") ? prettyLine(line) : line;
    for (const part of text.split("\n")) target.write(`${prefix} ${part}\n`);
  });
}

function prettyLine(line: string): string {
  try {
    return prettify(JSON.parse(line)).trimEnd();
  } catch {
    return line;
  }
}
