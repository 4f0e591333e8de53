import { execFile } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The local cluster's masters: CI's and `pnpm test:e2e:cluster`'s. */
export const LOCAL_CLUSTER_PORTS = [7100, 7101, 7102];

export interface LocalRedisCluster {
  /** `redis+cluster://` naming every master, as `REDIS_URL` takes it. */
  url: string;
  /** Whether this call started it (false: a healthy cluster was already running there). */
  started: boolean;
}

export function localClusterUrl(ports: number[] = LOCAL_CLUSTER_PORTS): string {
  return `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(",")}`;
}

/** A `redis-cli` command against the node on `port`; its output, or undefined if it failed. */
async function cli(port: number, ...args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], {
      timeout: 5_000,
    });
    return stdout;
  } catch {
    return undefined;
  }
}

/** Whether every node answers and sees the cluster whole: state ok, every slot served. */
async function clusterIsHealthy(ports: number[]): Promise<boolean> {
  for (const port of ports) {
    const info = await cli(port, "cluster", "info");
    if (!info?.includes("cluster_state:ok") || !info.includes("cluster_slots_ok:16384")) {
      return false;
    }
    const known = /cluster_known_nodes:(\d+)/.exec(info)?.[1];
    if (Number(known) < ports.length) return false;
  }
  return true;
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`local Redis Cluster: ${what} timed out`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A three-master Redis Cluster on 127.0.0.1 (`ports`), from `redis-server` on the PATH: nothing
 * saved to disk, each node's files under `dir`. Reuses a healthy cluster already running on those
 * ports; a node running there outside any healthy cluster is emptied and joined to a new one.
 * The nodes run detached, so the cluster outlives this process; `stopLocalRedisCluster` ends them.
 */
export async function startLocalRedisCluster(
  ports: number[] = LOCAL_CLUSTER_PORTS,
  dir: string = path.join(tmpdir(), "pulse-redis-cluster"),
): Promise<LocalRedisCluster> {
  const url = localClusterUrl(ports);
  if (await clusterIsHealthy(ports)) return { url, started: false };
  for (const port of ports) {
    if ((await cli(port, "ping"))?.trim() === "PONG") {
      // Ours (the ports are reserved for it) but not part of a whole cluster: start it afresh.
      await cli(port, "flushall");
      await cli(port, "cluster", "reset", "hard");
      continue;
    }
    // A node's cluster state (nodes.conf) from an earlier cluster would keep it out of a new one.
    const nodeDir = path.join(dir, String(port));
    await rm(nodeDir, { recursive: true, force: true });
    await mkdir(nodeDir, { recursive: true });
    await run("redis-server", [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      "nodes.conf",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      nodeDir,
      "--logfile",
      "redis.log",
      "--daemonize",
      "yes",
    ]);
  }
  await waitFor("nodes starting", async () => {
    const answers = await Promise.all(ports.map((port) => cli(port, "ping")));
    return answers.every((answer) => answer?.trim() === "PONG");
  });
  const nodes = ports.map((port) => `127.0.0.1:${port}`);
  await run(
    "redis-cli",
    ["--cluster", "create", ...nodes, "--cluster-replicas", "0", "--cluster-yes"],
    { timeout: 30_000 },
  );
  await waitFor("the cluster agreeing", () => clusterIsHealthy(ports));
  return { url, started: true };
}

/** Ends the cluster's nodes (without saving). */
export async function stopLocalRedisCluster(ports: number[] = LOCAL_CLUSTER_PORTS): Promise<void> {
  await Promise.all(ports.map((port) => cli(port, "shutdown", "nosave")));
}
