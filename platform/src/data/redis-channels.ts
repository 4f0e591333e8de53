import { isCluster, serversOf, type RedisConnection } from "./redis.ts";

/**
 * Pub/sub that scales on both deployments. One server: PUBLISH / SUBSCRIBE. A cluster: sharded
 * pub/sub (SPUBLISH / SSUBSCRIBE, Redis 7), where a channel lives in the hash slot of its name
 * like a key and only its shard carries its messages; classic PUBLISH would be copied to every
 * node of the cluster. A channel that a script publishes on must share the hash tag of the
 * script's keys (see docs/adr/0024-redis-cluster.md).
 */

/** Publishes `message` on `channel`; resolves to how many subscribers (of its shard) got it. */
export async function publishMessage(
  redis: RedisConnection,
  channel: string,
  message: string,
): Promise<number> {
  return Number(
    await (isCluster(redis) ? redis.spublish(channel, message) : redis.publish(channel, message)),
  );
}

/** The publish command for `redis`, for a script that publishes itself (an argument of it). */
export function publishCommand(redis: RedisConnection): "SPUBLISH" | "PUBLISH" {
  return isCluster(redis) ? "SPUBLISH" : "PUBLISH";
}

/**
 * Subscribes `subscriber` (a connection of its own, created with `subscriber: true`) to
 * `channel`; resolves once Redis confirmed it, so what is published next is received.
 */
export async function subscribeChannel(subscriber: RedisConnection, channel: string) {
  await (isCluster(subscriber) ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel));
}

export async function unsubscribeChannel(subscriber: RedisConnection, channel: string) {
  await (isCluster(subscriber)
    ? subscriber.sunsubscribe(channel)
    : subscriber.unsubscribe(channel));
}

/** Calls `listener` with each message `subscriber` receives, on any of its channels. */
export function onChannelMessage(
  subscriber: RedisConnection,
  listener: (channel: string, message: string) => void,
): void {
  subscriber.on(isCluster(subscriber) ? "smessage" : "message", listener);
}

/**
 * Calls `lost` when messages may have been missed (a subscriber connection dropped) and `back`
 * once every subscription is in effect again, so a listener that keeps state (a cache) can stop
 * trusting it meanwhile. A cluster loses a shard's subscriber on its own (`-node`) and
 * resubscribes once the shards are known again (`subscribersReady`); a server's connection
 * closes and comes back `ready` (ioredis subscribes again first).
 */
export function onSubscriptionsLost(
  subscriber: RedisConnection,
  handlers: { lost: () => void; back: () => void },
): void {
  const cluster = isCluster(subscriber);
  subscriber.on(cluster ? "-node" : "close", handlers.lost);
  subscriber.on(cluster ? "subscribersReady" : "ready", handlers.back);
}

/** Whether `subscriber` is connected and may hear what is published now. */
export function isHearing(subscriber: RedisConnection): boolean {
  return subscriber.status === "ready";
}

/**
 * How many connections subscribe to each of `channels`, in order (PUBSUB NUMSUB). On a cluster
 * a sharded channel's subscribers are known to its shard only: each master counts its own.
 */
export async function countSubscribers(
  redis: RedisConnection,
  channels: string[],
): Promise<number[]> {
  const servers = await serversOf(redis);
  const command = isCluster(redis) ? "SHARDNUMSUB" : "NUMSUB";
  const counts = channels.map(() => 0);
  for (const server of servers) {
    const reply = (await server.call("PUBSUB", command, ...channels)) as (string | number)[];
    channels.forEach((_, index) => (counts[index]! += Number(reply[index * 2 + 1])));
  }
  return counts;
}
