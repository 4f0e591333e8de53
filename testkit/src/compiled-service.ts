import path from "node:path";
import { startServiceProcess, type ServiceProcess } from "./service-process.ts";

/** The repository's root folder. */
export const repoRoot = path.resolve(import.meta.dirname, "../..");

/**
 * The Node flag that makes workspace packages resolve to their compiled `dist/` (their
 * `exports`' `pulse-compiled` condition) instead of their TypeScript sources.
 */
export const COMPILED_CONDITION = "--conditions=pulse-compiled";

/**
 * Starts a service from its compiled JavaScript with plain `node`, as in the images:
 * `node --conditions=pulse-compiled <entry>` (relative to `cwd`, the repository by default).
 * Stop it, or every one a test started with `stopServiceProcesses` (`service-process`).
 */
export function startCompiledService(
  entry: string,
  env: Record<string, string>,
  cwd = repoRoot,
): Promise<ServiceProcess> {
  return startServiceProcess([COMPILED_CONDITION, path.resolve(cwd, entry)], env, cwd);
}
