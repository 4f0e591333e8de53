import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import type { Logger } from "../logging/logger.ts";
import { parseClusterUrl, type ClusterAddress } from "./redis-url.ts";

export { Cluster, Redis } from "ioredis";
export * from "./redis-url.ts";

/** A connection to one Redis server or to a Redis Cluster, as `REDIS_URL` says. */
export type RedisConnection = Redis | Cluster;

/** The longest wait between two attempts to reconnect to Redis. */
const MAX_RECONNECT_DELAY_MS = 250;

export interface RedisConnectionOptions extends Omit<
  RedisOptions,
  "host" | "port" | "path" | "readOnly" | "sentinels"
> {
  /**
   * The connection subscribes (live pub/sub, invalidations): on a cluster it keeps one sharded
   * subscriber per master, which other connections do without.
   */
  subscriber?: boolean;
}

/**
 * A Redis connection: one server for a `redis://` or `rediss://` URL, a cluster for
 * `redis+cluster://` (ioredis's `Cluster`, following the slots as they move). Keys are not
 * prefixed by the client (ioredis' `keyPrefix` misses stream and pattern arguments); callers
 * build keys with `redisKeys(prefix)`.
 */
export function createRedis(
  url: string,
  name: string,
  logger: Logger,
  options: RedisConnectionOptions = {},
): RedisConnection {
  const { subscriber = false, ...redisOptions } = options;
  const cluster = parseClusterUrl(url);
  // ioredis waits up to 2 s between attempts by default; a request waits for three of them
  // before failing, and the first attempt after Redis is back may come 2 s late.
  const retryStrategy = (attempt: number) => Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS);
  const redis = cluster
    ? new Cluster(cluster.nodes, clusterOptions(cluster, name, subscriber, redisOptions))
    : new Redis(url, {
        connectionName: name,
        maxRetriesPerRequest: 3,
        retryStrategy,
        ...redisOptions,
      });
  // ioredis reconnects by itself; without a listener it would print each failure unstructured.
  redis.on("error", (error: Error) => logger.warn({ err: error, redis: name }, "redis error"));
  if (cluster) failFastOnceConnected(redis as Cluster);
  return redis;
}

/**
 * Until its first connection a cluster client queues commands (start-up sends them at once).
 * After it, a command sent while the cluster is unreachable fails at once: one server's
 * `maxRetriesPerRequest` and `commandTimeout` bound such a wait, but a cluster client's own
 * queue has no bound, and would hold every request until the cluster came back.
 */
function failFastOnceConnected(cluster: Cluster): void {
  cluster.once("ready", () => {
    cluster.options.enableOfflineQueue = false;
  });
}

function clusterOptions(
  cluster: ClusterAddress,
  name: string,
  subscriber: boolean,
  options: Omit<RedisConnectionOptions, "subscriber">,
): ClusterOptions {
  const { retryStrategy, lazyConnect, enableOfflineQueue, ...nodeOptions } = options;
  return {
    lazyConnect: lazyConnect ?? false,
    enableOfflineQueue: enableOfflineQueue ?? true,
    clusterRetryStrategy: (attempt) =>
      retryStrategy ? retryStrategy(attempt) : Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS),
    // A failover or resharding answers MOVED / TRYAGAIN for a moment: retry soon, not 100 ms on.
    retryDelayOnFailover: 50,
    retryDelayOnTryAgain: 50,
    shardedSubscribers: subscriber,
    redisOptions: {
      connectionName: name,
      maxRetriesPerRequest: 3,
      ...nodeOptions,
      ...(cluster.username ? { username: cluster.username } : {}),
      ...(cluster.password ? { password: cluster.password } : {}),
      ...(cluster.tls ? { tls: {} } : {}),
    },
  };
}

export function isCluster(redis: RedisConnection): redis is Cluster {
  return redis instanceof Cluster;
}

/** Another connection like `redis`, for work that must not wait behind it (blocking reads). */
export function duplicateConnection(redis: RedisConnection, name: string): RedisConnection {
  if (!isCluster(redis)) return redis.duplicate({ connectionName: name });
  // A new client: it waits for its first connection, as createRedis's do (the original's options
  // may already fail fast).
  const duplicate = redis.duplicate(undefined, {
    enableOfflineQueue: true,
    redisOptions: { ...redis.options.redisOptions, connectionName: name },
  });
  failFastOnceConnected(duplicate);
  return duplicate;
}

/** Builds namespaced keys: `redisKeys("pulse:")("rl", "login")` is `pulse:rl:login`. */
export function redisKeys(prefix: string) {
  return (...parts: string[]): string => prefix + parts.join(":");
}

/** A command as ioredis's `pipeline` takes it: name, then arguments. */
export type RedisCommand = [name: string, ...args: (string | number)[]];

/**
 * Sends independent commands whose keys may lie in different hash slots, answering as a
 * pipeline does: `[error, result]` per command, in order. One server takes them as one pipeline;
 * a cluster pipelines only keys of one node, so there each goes on its own, all at once.
 */
export async function sendEach(
  redis: RedisConnection,
  commands: RedisCommand[],
): Promise<[Error | null, unknown][]> {
  if (!isCluster(redis)) {
    // A pipeline takes commands by their (lower-case) method names.
    const named = commands.map(([name, ...args]) => [name.toLowerCase(), ...args]);
    return (await redis.pipeline(named).exec()) ?? [];
  }
  return Promise.all(
    commands.map(([command, ...args]) =>
      redis.call(command, ...args).then(
        (result): [null, unknown] => [null, result],
        (error: Error): [Error, null] => [error, null],
      ),
    ),
  );
}

/**
 * Deletes every key under `prefix` (tests and teardown only). SCAN walks one server's keys, so on
 * a cluster it walks every master's.
 */
export async function deleteKeysWithPrefix(redis: RedisConnection, prefix: string): Promise<void> {
  const servers = await serversOf(redis);
  await Promise.all(servers.map((server) => deleteServerKeys(server, prefix)));
}

/**
 * The servers holding `redis`'s keys: itself, or a cluster's masters (once it knows them: a
 * cluster learns its layout on connecting).
 */
export async function serversOf(redis: RedisConnection): Promise<Redis[]> {
  if (!isCluster(redis)) return [redis];
  if (redis.status !== "ready") await redis.ping();
  return redis.nodes("master");
}

async function deleteServerKeys(server: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await server.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    // One key per command: a cluster refuses a multi-key UNLINK across slots, even on one node.
    if (keys.length > 0) await server.pipeline(keys.map((key) => ["unlink", key])).exec();
    cursor = next;
  } while (cursor !== "0");
}
