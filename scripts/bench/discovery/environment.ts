import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyMigrations, ensureDatabase } from "@pulse/db/migrate";
import { deleteKeysWithPrefix } from "@pulse/platform/server";
import { Redis } from "ioredis";
import {
  commitWithoutFlush,
  dropDatabase,
  startEmbeddedPostgres,
  withDatabase,
  type LocalPostgres,
} from "../../lib/local-postgres.ts";
import { NO_REDIS_MESSAGE, redisAnswers, spawnRedisServer } from "../../lib/local-redis.ts";
import { createBucket, LOCAL_S3_CREDENTIALS, startLocalS3 } from "../../lib/local-s3.ts";

/** A database, Redis prefix and photo bucket of the benchmark's own, removed by `dispose`. */
export interface BenchEnvironment {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Profiles' storage settings: a bucket on a local s3rver. */
  s3: Record<string, string>;
  dispose(): Promise<void>;
}

export interface EnvironmentOptions {
  /**
   * Commit without waiting for the WAL to reach the disk (`synchronous_commit = off`, on the
   * benchmark's database only): for benchmarks that compare two paths through the same commits,
   * where the disk's flush stalls would land in one phase or the other at random.
   */
  commitWithoutFlush?: boolean;
  /**
   * A `redis-server` of the benchmark's own even when REDIS_URL or 127.0.0.1:6379 answers: for
   * benchmarks that read Redis's server-wide counters (INFO commandstats, its CPU), which a
   * shared server's other clients would add to.
   */
  ownRedis?: boolean;
}

/**
 * Creates a database with every migration on DATABASE_URL's server (or an embedded Postgres),
 * a Redis key prefix on REDIS_URL, 127.0.0.1:6379 or a `redis-server` from the PATH, and a bucket
 * on a local s3rver in a temporary directory.
 */
export async function provisionEnvironment(
  options: EnvironmentOptions = {},
): Promise<BenchEnvironment> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  let embedded: LocalPostgres | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(tmpdir(), `pulse-bench-postgres-${runId}`),
      persistent: false,
    });
    serverUrl = embedded.serverUrl;
  }
  const databaseName = `pulse_bench_${runId}`;
  const databaseUrl = withDatabase(serverUrl, databaseName);
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  if (options.commitWithoutFlush) await commitWithoutFlush(serverUrl, databaseName);

  const candidates = options.ownRedis
    ? []
    : ([process.env.REDIS_URL, "redis://127.0.0.1:6379"].filter(Boolean) as string[]);
  let redisUrl: string | undefined;
  for (const url of candidates) if (!redisUrl && (await redisAnswers(url))) redisUrl = url;
  const spawned = redisUrl
    ? undefined
    : await spawnRedisServer(path.join(tmpdir(), `pulse-bench-redis-${runId}`));
  redisUrl ??= spawned?.url;
  if (!redisUrl) throw new Error(NO_REDIS_MESSAGE);
  const redisPrefix = `pulse-bench:${runId}:`;
  const s3Directory = path.join(tmpdir(), `pulse-bench-s3-${runId}`);
  const s3 = await startLocalS3(s3Directory);
  await createBucket(s3.endpoint, "pulse-bench");

  return {
    databaseUrl,
    redisUrl,
    redisPrefix,
    s3: {
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: "pulse-bench",
      S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
    async dispose() {
      await s3.stop();
      await rm(s3Directory, { recursive: true, force: true });
      await dropDatabase(databaseUrl, databaseName);
      await embedded?.stop();
      const client = new Redis(redisUrl);
      await deleteKeysWithPrefix(client, redisPrefix);
      client.disconnect();
      await spawned?.stop();
    },
  };
}
