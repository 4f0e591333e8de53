// `pnpm bench:images`: what each production image's runtime stage holds and how fast a compiled
// service starts. For each service it does what the Dockerfile's build stage does (`pnpm build`,
// then `pnpm deploy --legacy --prod` of the package into a folder of its own) and reports the
// folder's size, then starts the service from that folder as the image would
// (`node --conditions=pulse-compiled --max-semi-space-size=64 dist/main.js`, NODE_ENV=production)
// and times process start to the first 200 of `/ready`, with the CPU the process used until
// then (steadier than wall time on a shared machine) and its resident memory.
// The base image (node:22-bookworm-slim plus tini) is not included: no Docker engine runs here.
import { spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { repoRoot, startCompiledService } from "@pulse/testkit/compiled-service";
import { provisionEnvironment, type BenchEnvironment } from "./discovery/environment.ts";
import { percentile } from "./stats.ts";

/** Cold starts per service; the median is reported. */
const STARTS = 5;
const SERVICES = [
  "gateway",
  "identity",
  "profiles",
  "discovery",
  "chat",
  "competitions",
  "billing",
];

function run(command: string, args: string[], cwd = repoRoot): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}:\n${result.stderr}`);
  return result.stdout;
}

/** `du -sb`: the bytes of the files under `dir`, as the image layer would hold them. */
function megabytes(dir: string): string {
  return (Number(run("du", ["-sb", dir]).split("\t")[0]) / 1e6).toFixed(0);
}

/** User plus system CPU the process used so far, in ms (`/proc/<pid>/stat`, 100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function residentMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(line?.[1]) / 1024;
}

function serviceEnv(service: string, environment: BenchEnvironment): Record<string, string> {
  const shared = {
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
    PORT: "0",
    METRICS_PORT: "0",
    REDIS_URL: environment.redisUrl,
    REDIS_PREFIX: environment.redisPrefix,
    GATEWAY_SECRET: randomBytes(32).toString("hex"),
    DATABASE_URL: environment.databaseUrl,
  };
  const own: Record<string, Record<string, string>> = {
    // The image copies both files to /app/schema and points at them the same way.
    gateway: {
      SUPERGRAPH_PATH: path.join(repoRoot, "schema/supergraph.graphql"),
      TRUSTED_DOCUMENTS_PATH: path.join(repoRoot, "client/src/generated/persisted-documents.json"),
    },
    identity: {
      JWT_PRIVATE_KEY: generateKeyPairSync("ed25519")
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString(),
    },
    profiles: environment.s3,
    // Never called while it starts; the first reconciliation fails against these, harmlessly.
    billing: {
      STRIPE_SECRET_KEY: "sk_test_bench",
      STRIPE_WEBHOOK_SECRET: "whsec_bench",
      STRIPE_PRICE_PREMIUM_MONTHLY: "price_monthly",
      STRIPE_PRICE_PREMIUM_YEARLY: "price_yearly",
    },
  };
  return { ...shared, ...own[service] };
}

/** Milliseconds from spawning the process to its first 200 on `/ready`, its CPU and RSS then. */
async function coldStart(dir: string, env: Record<string, string>) {
  const started = performance.now();
  const service = await startCompiledService("dist/main.js", env, dir);
  try {
    while ((await fetch(`${service.url}/ready`)).status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const pid = service.child.pid!;
    return { ms: performance.now() - started, cpuMs: cpuMs(pid), rssMiB: residentMiB(pid) };
  } finally {
    await service.stop();
  }
}

run("pnpm", ["build"]);
const environment = await provisionEnvironment();
const workDir = await mkdtemp(path.join(tmpdir(), "pulse-bench-images-"));
try {
  console.log(
    "| image | runtime folder (MB) | node_modules (MB) | start to /ready p50 (ms) | CPU to /ready p50 (ms) | RSS at ready (MiB) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  const migrate = path.join(workDir, "db");
  run("pnpm", ["--filter", "@pulse/db", "deploy", "--legacy", "--prod", migrate]);
  console.log(
    `| migrate | ${megabytes(migrate)} | ${megabytes(path.join(migrate, "node_modules"))} | | | |`,
  );
  for (const name of SERVICES) {
    const dir = path.join(workDir, name);
    run("pnpm", ["--filter", `@pulse/${name}`, "deploy", "--legacy", "--prod", dir]);
    const starts: Awaited<ReturnType<typeof coldStart>>[] = [];
    for (let i = 0; i < STARTS; i++)
      starts.push(await coldStart(dir, serviceEnv(name, environment)));
    const median = (key: "ms" | "cpuMs" | "rssMiB") =>
      percentile(
        starts.map((start) => start[key]),
        50,
      ).toFixed(0);
    console.log(
      `| ${name} | ${megabytes(dir)} | ${megabytes(path.join(dir, "node_modules"))} | ${median("ms")} | ${median("cpuMs")} | ${median("rssMiB")} |`,
    );
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `load average (1, 5, 15 min) at the end: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(", ")}`,
  );
} finally {
  await rm(workDir, { recursive: true, force: true });
  await environment.dispose();
}
