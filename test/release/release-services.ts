import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { startServiceProcess, type CompiledService } from "@pulse/testkit/compiled-service";
import { UNLIMITED_RATE_LIMITS } from "../../scripts/lib/unlimited-rate-limits.ts";

/** The gateway and every subgraph of one release, each a process started from its sources. */
export interface ReleaseServices {
  /** `previous` or `current`, for messages. */
  label: string;
  /** Where the release is checked out. */
  root: string;
  gateway: CompiledService;
  /** The running subgraphs, by name. */
  subgraphs: Map<string, CompiledService>;
  /** Stops subgraph `name` as on SIGTERM (a rollout taking its pod away). */
  stopSubgraph(name: string): Promise<void>;
  /** Starts stopped subgraph `name` again, on the port its gateway knows. */
  startSubgraph(name: string): Promise<void>;
  /** Starts another gateway of this release in front of `subgraphUrls` (base URLs by name). */
  startGateway(subgraphUrls: Record<string, string>): Promise<CompiledService>;
  /** Log lines at level error or above of any of its processes, counted by `release service: msg`. */
  errors(): Record<string, number>;
}

/** What every service of both releases is told: Postgres, Redis, S3, Stripe, keys. */
export type SharedEnv = Record<string, string>;

const SERVICE = { NODE_ENV: "test", LOG_LEVEL: "info", HOST: "127.0.0.1" };

/** The subgraphs of the release checked out at `root`: its folders under `subgraphs/`. */
async function subgraphsOf(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, "subgraphs"), { withFileTypes: true });
  return entries
    .filter((entry) => existsSync(path.join(root, "subgraphs", entry.name, "src/main.ts")))
    .map((entry) => entry.name)
    .sort();
}

/** Starts `<packageDir>/src/main.ts` under tsx, as the package's `start` script does. */
function startFromSources(packageDir: string, env: Record<string, string>) {
  return startServiceProcess(["--import", "tsx", "src/main.ts"], env, packageDir);
}

/** Pino's levels: 50 is error, 60 fatal. */
function isErrorLine(line: string): boolean {
  const level = /^\{"level":(\d+)/.exec(line)?.[1];
  return level !== undefined && Number(level) >= 50;
}

/**
 * Starts the release checked out at `root`: every subgraph on a free port, then a gateway in
 * front of them. Its gateways plan with `supergraphPath`, by default the release's own.
 */
export async function startRelease(
  label: string,
  root: string,
  env: SharedEnv,
  supergraphPath = path.join(root, "schema/supergraph.graphql"),
): Promise<ReleaseServices> {
  const subgraphs = new Map<string, CompiledService>();
  /** Every process started, with its service's name: the error lines of stopped ones count. */
  const started: [string, CompiledService][] = [];
  /** Each subgraph's port, kept when it restarts. */
  const ports = new Map<string, string>();
  const startSubgraph = async (name: string) => {
    const running = await startFromSources(path.join(root, "subgraphs", name), {
      ...env,
      ...SERVICE,
      PORT: ports.get(name) ?? "0",
      ...UNLIMITED_RATE_LIMITS[name],
    });
    ports.set(name, new URL(running.url).port);
    subgraphs.set(name, running);
    started.push([name, running]);
  };
  const startGateway = async (subgraphUrls: Record<string, string>) => {
    const gateway = await startFromSources(path.join(root, "gateway"), {
      ...SERVICE,
      PORT: "0",
      GATEWAY_SECRET: env.GATEWAY_SECRET!,
      REDIS_URL: env.REDIS_URL!,
      REDIS_PREFIX: env.REDIS_PREFIX!,
      JWKS_URL: `${subgraphUrls.identity}/.well-known/jwks.json`,
      ...Object.fromEntries(
        Object.entries(subgraphUrls).map(([name, url]) => [
          `SUBGRAPH_${name.toUpperCase()}_URL`,
          `${url}/graphql`,
        ]),
      ),
      SUPERGRAPH_PATH: supergraphPath,
      SUPERGRAPH_WATCH: "false",
      // Each test client claims its own address, so per-address limits do not collide.
      TRUST_PROXY: "true",
    });
    started.push(["gateway", gateway]);
    return gateway;
  };

  await Promise.all((await subgraphsOf(root)).map(startSubgraph));
  const gateway = await startGateway(
    Object.fromEntries([...subgraphs].map(([name, { url }]) => [name, url])),
  );
  return {
    label,
    root,
    gateway,
    subgraphs,
    async stopSubgraph(name) {
      const running = subgraphs.get(name)!;
      subgraphs.delete(name);
      await running.stop();
    },
    startSubgraph,
    startGateway,
    errors() {
      const counts: Record<string, number> = {};
      for (const [name, { output }] of started) {
        for (const line of output.filter(isErrorLine)) {
          const key = `${label} ${name}: ${(JSON.parse(line) as { msg?: string }).msg}`;
          counts[key] = (counts[key] ?? 0) + 1;
        }
      }
      return counts;
    },
  };
}
