// `pnpm dev`: Postgres, Redis, every subgraph and the gateway on this machine, with demo data.
// The work is in scripts/dev/run.ts; this launcher runs it in a process group of its own. Why:
// Ctrl-C signals the terminal's whole process group, which would stop Postgres and Redis at once
// while the services still need them to shut down. Here the runner gets one SIGTERM instead and
// stops everything in order: services, then Redis, then Postgres.
import { spawn } from "node:child_process";
import path from "node:path";

const runner = spawn(
  process.execPath,
  ["--import", "tsx", path.join(import.meta.dirname, "dev", "run.ts")],
  {
    cwd: path.resolve(import.meta.dirname, ".."),
    // The IPC channel closes if this launcher dies, which tells the runner to stop.
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
  },
);

let forwarded = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    // A second Ctrl-C must not cut the orderly stop short; the runner has its own time limits.
    if (forwarded) return console.log("Still stopping...");
    forwarded = true;
    runner.kill("SIGTERM");
  });
}

runner.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
