import { randomUUID } from "node:crypto";
import type { LivePubSub } from "@pulse/platform";

const RETRY_MS = 5;
const TIMEOUT_MS = 5_000;

/**
 * Resolves once `live` receives on every topic whose subscription was started before the call.
 *
 * LivePubSub's iterators subscribe on their first `next()` and do not say when Redis confirmed
 * it. This subscribes to a topic of its own after them, on the same subscriber connection, and
 * publishes to it until its probe arrives: Redis handles a connection's commands in order, so by
 * then the earlier subscriptions are in effect too.
 *
 * @throws when no probe arrives within 5 seconds (Redis unreachable).
 */
export async function untilListening(live: LivePubSub): Promise<void> {
  const topic = `probe:${randomUUID()}`;
  const probe = live.asyncIterator<true>(topic);
  let arrived = false;
  const first = probe.next().then(() => {
    arrived = true;
  });
  const deadline = Date.now() + TIMEOUT_MS;
  try {
    while (!arrived) {
      if (Date.now() > deadline) throw new Error("Live subscription not confirmed in time");
      await live.publish(topic, true);
      await Promise.race([first, new Promise((resolve) => setTimeout(resolve, RETRY_MS))]);
    }
  } finally {
    await probe.return?.();
  }
}
