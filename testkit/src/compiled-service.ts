import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";

/** The repository's root folder. */
export const repoRoot = path.resolve(import.meta.dirname, "../..");

/**
 * The Node flag that makes workspace packages resolve to their compiled `dist/` (their
 * `exports`' `pulse-compiled` condition) instead of their TypeScript sources.
 */
export const COMPILED_CONDITION = "--conditions=pulse-compiled";

/** A service running as a process of its own: compiled, as in the images, or from sources. */
export interface CompiledService {
  /** Its base URL (`http://127.0.0.1:<port>`), from the line it logs once it listens. */
  url: string;
  /** Every line it wrote to stdout or stderr so far. */
  output: string[];
  child: ChildProcess;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL, as a crash or the OOM killer would, and resolves once it exited. */
  kill(): Promise<void>;
}

/** Every service process started and not yet exited, for {@link stopCompiledServices}. */
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
export async function stopCompiledServices(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}

/**
 * Starts `node --conditions=pulse-compiled <entry>` (relative to `cwd`, the repository by
 * default) and resolves once it logs that it listens (pino's `"url"` of the "… listening" line).
 * Rejects if the process exits first, with what it wrote.
 */
export function startCompiledService(
  entry: string,
  env: Record<string, string>,
  cwd = repoRoot,
): Promise<CompiledService> {
  return startServiceProcess([COMPILED_CONDITION, path.resolve(cwd, entry)], env, cwd);
}

/**
 * Starts `node --import tsx <entry>` (a `main.ts`, relative to the repository): a service from
 * its TypeScript sources, with no build first. Resolves as {@link startCompiledService} does.
 */
export function startSourceService(
  entry: string,
  env: Record<string, string>,
): Promise<CompiledService> {
  return startServiceProcess(["--import", "tsx", path.resolve(repoRoot, entry)], env, repoRoot);
}

/**
 * Starts `node <args>` in `cwd` with only `env` (and PATH) as its environment, and resolves once
 * it logs that it listens: any service, from any checkout (the rolling-deploy test starts the
 * previous release's from its own tree).
 */
export async function startServiceProcess(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CompiledService> {
  const entry = args.at(-1)!;
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
      reject(new Error(`${entry} exited with ${code} before listening:\n${output.join("\n")}`)),
    );
  });
  return {
    url,
    output,
    child,
    stop: () => stopChild(child),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
}
