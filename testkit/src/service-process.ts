import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** A service (the gateway or a subgraph) running as a process of its own. */
export interface ServiceProcess {
  /** Its base URL (`http://127.0.0.1:<port>`), from the line it logs once it listens. */
  url: string;
  /** Every line it wrote to stdout or stderr so far. */
  output: string[];
  child: ChildProcess;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Every service process started and not yet exited, for {@link stopServiceProcesses}. */
const running = new Set<ChildProcess>();

/** SIGTERM, then the exit code once it exited (at once if it already had). */
async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  return code;
}

/**
 * Stops every service process still running, including one whose start was abandoned (a hook
 * that timed out while it started): for a test's `afterAll`.
 */
export async function stopServiceProcesses(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}

/**
 * Starts `node <args>` in `cwd` with only `env` (and PATH) as its environment, and resolves once
 * it logs that it listens (pino's `"url"` of the "… listening" line). Rejects if the process
 * exits first, with what it wrote.
 */
export async function startServiceProcess(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, ...env },
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        const listening = /"url":"(http:\/\/[^"]+)\/graphql","msg":"\w+ listening"/.exec(line);
        if (listening) resolve(listening[1]!);
      });
    }
    child.once("exit", (code) =>
      reject(
        new Error(`${args.join(" ")} exited with ${code} before listening:\n${output.join("\n")}`),
      ),
    );
  });
  return { url, output, child, stop: () => stopChild(child) };
}
