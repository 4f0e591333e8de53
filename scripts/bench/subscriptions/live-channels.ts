// Whether subscriptions are in effect, seen from Redis: each subscriber's messageAdded topic is
// a channel that chat (for the gateway) or the baseline subscribes to once it is listening, so
// the count of such channels tells when sending can start and whether closing sockets let go.
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";

/** Channels with a subscriber under `topic`'s (messageAdded's by default) of this run's prefix. */
export async function liveChannels(
  redis: Redis,
  prefix: string,
  topic = "message-added",
): Promise<number> {
  const channels = (await redis.call("PUBSUB", "CHANNELS", `${prefix}live:${topic}:*`)) as string[];
  return channels.length;
}

/** Polls the channel count until `satisfied` or the timeout; returns the last count. */
export async function waitForChannels(
  redis: Redis,
  prefix: string,
  satisfied: (count: number) => boolean,
  timeoutMs: number,
  topic?: string,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = await liveChannels(redis, prefix, topic);
  while (!satisfied(count) && Date.now() < deadline) {
    await sleep(200);
    count = await liveChannels(redis, prefix, topic);
  }
  return count;
}
