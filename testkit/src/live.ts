import { countSubscribers } from "@pulse/platform/server";
import { expect } from "vitest";
import { eventually } from "./eventually.ts";
import type { Stack } from "./stack.ts";

type LiveStack = Pick<Stack, "redis" | "redisPrefix">;

/**
 * The live pub/sub channel of `topic` for `key` (a person's id, or a competition's for
 * `rank-changed`), as the subgraphs name it. A board's channel carries the competition's hash
 * tag, like its keys (competitions' rank-changed.topic.ts).
 */
export function liveChannelName(stack: LiveStack, topic: string, key: string): string {
  return `${stack.redisPrefix}live:${topic}:${topic === "rank-changed" ? `{${key}}` : key}`;
}

/** How many connections listen on the live channel of `topic` for `key`. */
export async function liveListeners(stack: LiveStack, topic: string, key: string) {
  const [count] = await countSubscribers(stack.redis, [liveChannelName(stack, topic, key)]);
  return count!;
}

/**
 * Waits until a subgraph listens on the live pub/sub channel of `topic` for `key` (a person's
 * id): the gateway's upstream subscription has reached it, so what is published from now on
 * is delivered.
 */
export async function untilListening(stack: LiveStack, topic: string, key: string): Promise<void> {
  await eventually(async () => {
    expect(await liveListeners(stack, topic, key)).toBeGreaterThan(0);
  });
}
