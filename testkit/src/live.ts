import { expect } from "vitest";
import { eventually } from "./eventually.ts";
import type { Stack } from "./stack.ts";

/**
 * Waits until a subgraph listens on the live pub/sub channel of `topic` for `key` (a person's
 * id): the gateway's upstream subscription has reached it, so what is published from now on
 * is delivered.
 */
export async function untilListening(
  stack: Pick<Stack, "redis" | "redisPrefix">,
  topic: string,
  key: string,
): Promise<void> {
  const channel = `${stack.redisPrefix}live:${topic}:${key}`;
  await eventually(async () => {
    const [, listeners] = (await stack.redis.pubsub("NUMSUB", channel)) as [string, number];
    expect(listeners).toBeGreaterThan(0);
  });
}
