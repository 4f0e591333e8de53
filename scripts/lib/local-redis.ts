import { spawn, spawnSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createLogger, createRedis } from "@pulse/platform/server";
import { freePort } from "./free-port.ts";

export interface LocalRedis {
  url: string;
  /** Where it came from, for the line the dev runner prints. */
  source: string;
  stop(): Promise<void>;
}

export const NO_REDIS_MESSAGE =
  "No Redis found: set REDIS_URL, run one on 127.0.0.1:6379, or install redis-server (apt install redis-server, brew install redis).";

/** Whether a Redis server (or a cluster, for `redis+cluster://`) answers PING at `url` within a second. */
export async function redisAnswers(url: string): Promise<boolean> {
  // A refused connection is the answer here, not an error worth printing.
  const client = createRedis(url, "probe", createLogger("probe", "silent"), {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Starts `redis-server` from the PATH on a free port, keeping nothing on disk but in `dir`. */
export async function spawnRedisServer(dir: string): Promise<LocalRedis | undefined> {
  if (spawnSync("redis-server", ["--version"]).status !== 0) return undefined;
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
    ],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50 && !(await redisAnswers(url)); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    source: `redis-server from the PATH on port ${port}`,
    stop: async () => {
      child.kill("SIGTERM");
    },
  };
}
