import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyMigrations, ensureDatabase } from "@pulse/db/migrate";
import {
  createLogger,
  createRedis,
  deleteKeysWithPrefix,
  parseClusterUrl,
} from "@pulse/platform/server";
import { createPrismaClient } from "@pulse/platform/subgraph";
import type { TestProject } from "vitest/node";
import {
  dropDatabase,
  startEmbeddedPostgres,
  withDatabase,
  type LocalPostgres,
} from "../../scripts/lib/local-postgres.ts";
import { startLocalS3 } from "../../scripts/lib/local-s3.ts";
import { untilReplayed } from "./read-replica.ts";
import {
  startLocalRedisCluster,
  stopLocalRedisCluster,
} from "../../scripts/lib/local-redis-cluster.ts";
import {
  NO_REDIS_MESSAGE,
  redisAnswers,
  spawnRedisServer,
  type LocalRedis,
} from "../../scripts/lib/local-redis.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    /** The run's database on the read replica at DATABASE_READ_URL; null without one. */
    readDatabaseUrl: string | null;
    redisUrl: string;
    redisPrefix: string;
    /**
     * A Redis Cluster for the tests of what is particular to one: `redisUrl` when it names a
     * cluster, otherwise the local cluster on 127.0.0.1:7100-7102; "" without `redis-server`.
     */
    redisClusterUrl: string;
    /** An s3rver for this run; each stack creates its own bucket on it. */
    s3Endpoint: string;
  }
}

interface Services {
  databaseUrl: string;
  readDatabaseUrl: string | null;
  redisUrl: string;
  redisPrefix: string;
  redisClusterUrl: string;
  s3Endpoint: string;
  teardown(): Promise<void>;
}

/**
 * The run's services, provisioned once and shared by every project (tier) that asks: the int
 * and e2e projects set up in the same process at the same time, and one database migrated
 * once is both cheaper and safer (the WASM migration engine is one per process). Kept on
 * `globalThis`: each project loads this module on its own.
 */
const runServices = globalThis as {
  pulseTestServices?: { services: Promise<Services>; users: number };
};

/**
 * Provisions this run's own database (on DATABASE_URL's server, or an embedded Postgres) with
 * every migration applied, a Redis key prefix of its own, and an s3rver in a temporary directory;
 * removes them all after the last project that uses them is done. With DATABASE_READ_URL, a
 * streaming replica of DATABASE_URL's server, the stacks' lag-tolerant reads go there.
 */
export default async function setup(project: TestProject) {
  const shared = (runServices.pulseTestServices ??= { services: provision(), users: 0 });
  shared.users += 1;
  const services = await shared.services;
  project.provide("databaseUrl", services.databaseUrl);
  project.provide("readDatabaseUrl", services.readDatabaseUrl);
  project.provide("redisUrl", services.redisUrl);
  project.provide("redisPrefix", services.redisPrefix);
  project.provide("redisClusterUrl", services.redisClusterUrl);
  project.provide("s3Endpoint", services.s3Endpoint);
  return async () => {
    if (--shared.users > 0) return;
    runServices.pulseTestServices = undefined;
    await services.teardown();
  };
}

async function provision(): Promise<Services> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const databaseName = `pulse_test_${runId}`;

  let embedded: LocalPostgres | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(tmpdir(), `pulse-test-postgres-${runId}`),
      persistent: false,
    });
    serverUrl = embedded.serverUrl;
  }
  const databaseUrl = withDatabase(serverUrl, databaseName);
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  const readDatabaseUrl = await replicaOf(serverUrl, databaseName, process.env.DATABASE_READ_URL);

  const redis = await findRedis(path.join(tmpdir(), `pulse-test-redis-${runId}`));
  const redisPrefix = `pulse-test:${runId}:`;
  const cluster = await findRedisCluster(redis.url);

  const s3Directory = path.join(tmpdir(), `pulse-test-s3-${runId}`);
  const s3 = await startLocalS3(s3Directory);

  return {
    databaseUrl,
    readDatabaseUrl,
    redisUrl: redis.url,
    redisPrefix,
    redisClusterUrl: cluster?.url ?? "",
    s3Endpoint: s3.endpoint,
    async teardown() {
      await dropDatabase(databaseUrl, databaseName);
      await embedded?.stop();
      for (const url of new Set([redis.url, cluster?.url ?? redis.url])) {
        const client = createRedis(url, "test-teardown", createLogger("test", "silent"));
        await deleteKeysWithPrefix(client, redisPrefix);
        client.disconnect();
      }
      await redis.stop();
      await cluster?.stop();
      await s3.stop();
      await rm(s3Directory, { recursive: true, force: true });
    },
  };
}

/** The run's database on the replica at `replicaServerUrl`, once it has the migrated database. */
async function replicaOf(
  primaryServerUrl: string,
  databaseName: string,
  replicaServerUrl: string | undefined,
): Promise<string | null> {
  if (!replicaServerUrl) return null;
  if (!process.env.DATABASE_URL) {
    throw new Error("DATABASE_READ_URL needs DATABASE_URL: the server the replica streams from");
  }
  // The replica streams the whole server: the database created above arrives there too.
  const primary = createPrismaClient(primaryServerUrl, { maxConnections: 1 });
  const replica = createPrismaClient(replicaServerUrl, { maxConnections: 1 });
  try {
    await untilReplayed(primary, replica);
  } finally {
    await Promise.all([primary.$disconnect(), replica.$disconnect()]);
  }
  return withDatabase(replicaServerUrl, databaseName);
}

async function findRedis(dir: string): Promise<LocalRedis> {
  const url = process.env.REDIS_URL;
  // A cluster asked for is the point of the run: never fall back to one server instead.
  if (url && parseClusterUrl(url)) {
    if (await redisAnswers(url)) return { url, source: url, stop: async () => {} };
    throw new Error(`The Redis Cluster REDIS_URL names does not answer: ${url}`);
  }
  const candidates = [url, "redis://127.0.0.1:6379"].filter(Boolean) as string[];
  for (const url of candidates) {
    if (await redisAnswers(url)) return { url, source: url, stop: async () => {} };
  }
  const spawned = await spawnRedisServer(dir);
  if (spawned) return spawned;
  throw new Error(NO_REDIS_MESSAGE);
}

/**
 * The run's Redis Cluster: `redisUrl` when it is one; otherwise the local cluster on
 * 127.0.0.1:7100-7102, reused when healthy, else started (and stopped after the run); none
 * without `redis-server` on the PATH.
 */
async function findRedisCluster(
  redisUrl: string,
): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  if (parseClusterUrl(redisUrl)) return { url: redisUrl, stop: async () => {} };
  if (spawnSync("redis-server", ["--version"]).status !== 0) return undefined;
  const cluster = await startLocalRedisCluster();
  return {
    url: cluster.url,
    stop: async () => {
      if (cluster.started) await stopLocalRedisCluster();
    },
  };
}
