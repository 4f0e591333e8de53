import { existsSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres, withDatabase } from "../lib/local-postgres.ts";
import { NO_REDIS_MESSAGE, redisAnswers, spawnRedisServer } from "../lib/local-redis.ts";
import { createBucket, LOCAL_S3_CREDENTIALS, startLocalS3 } from "../lib/local-s3.ts";
import { preferredPort } from "./ports.ts";

/** A backing service the dev processes use, and how to stop it if this run started it. */
export interface DevBackend {
  url: string;
  /** Where it came from, for the banner. */
  description: string;
  stop(): Promise<void>;
}

/** Raised when `pnpm dev` cannot start; its message is the one line to print. */
export class DevStartError extends Error {}

const EMBEDDED_POSTGRES_PORT = 5433;
const LOCAL_S3_PORT = 4569;
const LOCAL_S3_BUCKET = "pulse-photos";
const FALLBACK_REDIS_URL = "redis://127.0.0.1:6379";
const nothingToStop = async () => {};

/**
 * Postgres for the dev processes: `DATABASE_URL` when set, otherwise an embedded Postgres with
 * its files in `dataDir` (kept across runs), database `pulse`.
 */
export async function provideDatabase(dataDir: string): Promise<DevBackend> {
  if (process.env.DATABASE_URL) {
    return fromEnvironment("DATABASE_URL", process.env.DATABASE_URL);
  }
  const port = await preferredPort(EMBEDDED_POSTGRES_PORT);
  const server = await startEmbeddedPostgres({ dataDir, port, persistent: true }).catch(() => {
    throw new DevStartError(
      `Embedded Postgres did not start on port ${port} with data in ${dataDir}. Is another ` +
        "`pnpm dev` still running? A Postgres left from a killed run holds its postmaster.pid.",
    );
  });
  return {
    url: withDatabase(server.serverUrl, "pulse"),
    description: `embedded Postgres on 127.0.0.1:${port}, database pulse, files in ${dataDir}`,
    stop: () => stopEmbedded(server.stop, dataDir),
  };
}

/**
 * Redis for the dev processes: `REDIS_URL` when set, otherwise `redis-server` from the PATH with
 * its files in `dataDir`, otherwise a Redis already answering on 127.0.0.1:6379.
 */
export async function provideRedis(dataDir: string): Promise<DevBackend> {
  if (process.env.REDIS_URL) {
    return fromEnvironment("REDIS_URL", process.env.REDIS_URL);
  }
  const spawned = await spawnRedisServer(dataDir);
  if (spawned && (await redisAnswers(spawned.url))) {
    const description = `${spawned.source}, files in ${dataDir}`;
    return { url: spawned.url, description, stop: spawned.stop };
  }
  await spawned?.stop();
  if (await redisAnswers(FALLBACK_REDIS_URL)) {
    console.warn(
      `No redis-server on the PATH: using the Redis already running at ${FALLBACK_REDIS_URL} ` +
        "(keys prefixed pulse-dev:).",
    );
    return {
      url: FALLBACK_REDIS_URL,
      description: `the Redis already running at ${FALLBACK_REDIS_URL} (keys prefixed pulse-dev:)`,
      stop: nothingToStop,
    };
  }
  throw new DevStartError(NO_REDIS_MESSAGE);
}

/**
 * S3 for photos: the `S3_*` variables as they are when `S3_ENDPOINT` is set (or in production,
 * where AWS is the default), otherwise s3rver with its files in `dataDir` and a bucket
 * `pulse-photos`. `env` is what the subgraphs need on top of the environment.
 */
export async function provideS3(
  dataDir: string,
  production: boolean,
): Promise<DevBackend & { env: Record<string, string> }> {
  if (process.env.S3_ENDPOINT || production) {
    const where = process.env.S3_ENDPOINT ?? "AWS";
    return { ...fromEnvironment("S3_ENDPOINT", where), env: {} };
  }
  const port = await preferredPort(LOCAL_S3_PORT);
  const s3 = await startLocalS3(dataDir, port);
  await createBucket(s3.endpoint, LOCAL_S3_BUCKET);
  return {
    url: s3.endpoint,
    description: `s3rver on ${s3.endpoint}, bucket ${LOCAL_S3_BUCKET}, files in ${dataDir}`,
    stop: s3.stop,
    env: {
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: LOCAL_S3_BUCKET,
      S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      S3_FORCE_PATH_STYLE: "true",
    },
  };
}

/** A backend this run did not start, described without its password. */
function fromEnvironment(variable: string, url: string): DevBackend {
  let shown = url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    shown = parsed.toString();
  } catch {
    // Not a URL: the service's own config check will say so.
  }
  return { url, description: `${variable} (${shown})`, stop: nothingToStop };
}

/**
 * Stops the embedded Postgres. When Postgres has already stopped (signalled directly, or crashed)
 * `stop()` waits for an exit event that has been and gone; Postgres removes postmaster.pid when it
 * is done, so that file going away settles it as well.
 */
async function stopEmbedded(stop: () => Promise<void>, dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const pidFileGone = (async () => {
    for (let waited = 0; existsSync(pidFile) && waited < 15_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await Promise.race([stop(), pidFileGone]);
}
