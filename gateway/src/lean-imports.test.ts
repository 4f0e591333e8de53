import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Records every module URL a process resolves, through a module hook: ESM and CommonJS
 * alike, whatever a package's own entry loads.
 */
const recordResolvedModules = `
  import { register } from "node:module";
  register("data:text/javascript," + encodeURIComponent(\`
    import { appendFileSync } from "node:fs";
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(process.env.RESOLVED_MODULES_FILE, resolved.url + "\\\\n");
      return resolved;
    }
  \`));
`;

/**
 * The modules a fresh process loads to build the gateway (everything `main.ts` imports), started
 * with `preload` (`node --import`) after tsx and with `env`.
 */
async function modulesLoadedByGateway(
  preload: string[] = [],
  env: Record<string, string> = {},
): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "pulse-gateway-loads-"));
  const file = path.join(dir, "resolved.txt");
  try {
    await run(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${encodeURIComponent(recordResolvedModules)}`,
        "--import",
        "tsx",
        ...preload.flatMap((module) => ["--import", module]),
        "--input-type=module",
        "-e",
        'await import("@pulse/gateway"); await import("@pulse/platform/server");',
      ],
      { cwd: repositoryRoot, env: { ...process.env, ...env, RESOLVED_MODULES_FILE: file } },
    );
    return (await readFile(file, "utf8")).trim().split("\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prisma, pg, the subgraph platform or the Prisma client, among `loaded`. */
const forbiddenAmong = (loaded: string[]) =>
  loaded.filter((url) =>
    /\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(@prisma\/|pg\/|pg-)|\/platform\/src\/exports\/subgraph\.ts|\/prisma\/generated\//.test(
      url,
    ),
  );

describe("the gateway process", () => {
  it("loads the Apollo gateway but never Prisma, pg or the subgraph platform", async () => {
    const loaded = await modulesLoadedByGateway();
    expect(loaded.some((url) => url.includes("/@apollo/gateway/"))).toBe(true);
    expect(forbiddenAmong(loaded)).toEqual([]);
  });

  it("loads none of them when it traces either", async () => {
    const loaded = await modulesLoadedByGateway(["@pulse/platform/tracing"], {
      // Nothing is sent: the process ends before its first batch.
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
    });
    expect(loaded.some((url) => url.includes("/@opentelemetry/sdk-trace-node/"))).toBe(true);
    expect(forbiddenAmong(loaded)).toEqual([]);
  });
});
