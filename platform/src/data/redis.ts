import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logging/logger.ts";

export { Redis } from "ioredis";

/** The longest wait between two attempts to reconnect to Redis. */
const MAX_RECONNECT_DELAY_MS = 250;

/**
 * A Redis connection. Keys are not prefixed by the client (ioredis' `keyPrefix` misses stream
 * and pattern arguments); callers build keys with `redisKeys(prefix)`.
 */
export function createRedis(
  url: string,
  name: string,
  logger: Logger,
  options: RedisOptions = {},
): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 3,
    // ioredis waits up to 2 s between attempts by default; a request waits for three of them
    // before failing, and the first attempt after Redis is back may come 2 s late.
    retryStrategy: (attempt) => Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS),
    ...options,
  });
  // ioredis reconnects by itself; without a listener it would print each failure unstructured.
  redis.on("error", (error: Error) => logger.warn({ err: error, redis: name }, "redis error"));
  return redis;
}

/** Builds namespaced keys: `redisKeys("pulse:")("rl", "login")` is `pulse:rl:login`. */
export function redisKeys(prefix: string) {
  return (...parts: string[]): string => prefix + parts.join(":");
}

/** Deletes every key under `prefix` (tests and teardown only). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
}
