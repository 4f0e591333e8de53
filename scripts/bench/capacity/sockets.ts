// What sockets and subscriptions hold: a signed-in graphql-ws socket at the gateway for each
// person of the given conversations, idle, then each subscribed to its conversation
// (`OnMessageAdded`, served by chat), then to its person's matches (`OnMatchCreated`, served by
// discovery). Memory is read in each process after a full collection, before and after each
// step; the difference over the sockets is the cost of one.
import type { Redis } from "ioredis";
import { loadContractOperations } from "../../lib/contract-operations.ts";
import type { RoleProcess } from "../subscriptions/children.ts";
import { waitForChannels } from "../subscriptions/live-channels.ts";
import { SocketFleet, type Subscriber } from "../subscriptions/ws-driver.ts";
import type { MemoryCost, Service } from "./figures.ts";
import type { Conversation } from "../subscriptions/seed.ts";
import type { Population } from "./population.ts";

const LIVE_TIMEOUT_MS = 120_000;

type Memory = Map<string, { rss: number; heapUsed: number }>;

async function memoryOf(roles: RoleProcess[]): Promise<Memory> {
  return new Map(
    await Promise.all(roles.map(async (role) => [role.name, await role.memory()] as const)),
  );
}

/** What `process` grew by from `before` to `after`, per one of `count`. */
function each(before: Memory, after: Memory, process: string, count: number): MemoryCost {
  const [from, to] = [before.get(process)!, after.get(process)!];
  return {
    rssKiB: (to.rss - from.rss) / 1024 / count,
    heapKiB: (to.heapUsed - from.heapUsed) / 1024 / count,
  };
}

export interface SocketMemory {
  fleet: SocketFleet;
  /** `messageAdded` events the sockets received so far. */
  delivered(): number;
  idleSocket: MemoryCost;
  subscriptions: Record<string, Partial<Record<Service, MemoryCost>>>;
}

/**
 * Opens a socket for each person of `conversations` and subscribes them step by step; the
 * sockets stay open (and subscribed) for the caller, who closes `fleet`.
 */
export async function measureSocketMemory(
  gateway: RoleProcess,
  roles: RoleProcess[],
  population: Population,
  conversations: Conversation[],
  redis: Redis,
  redisPrefix: string,
): Promise<SocketMemory> {
  const operations = loadContractOperations();
  const request = (name: string) => ({ query: operations.get(name)!, operationName: name });
  let delivered = 0;
  const fleet = new SocketFleet(gateway.url, undefined, {
    onNext: () => {
      delivered += 1;
    },
    onEnd: (subscriber, what) => fleet.failures.push(`${subscriber.index}: ${what}`),
  });
  const subscribers: Subscriber[] = conversations.flatMap((conversation) =>
    conversation.people.map((index) => {
      const person = population.chatters[index]!;
      return { index, userId: person.id, token: person.token, conversationId: conversation.id };
    }),
  );
  const count = subscribers.length;
  const base = await memoryOf(roles);
  await fleet.connectAll(subscribers, 100);
  const connected = await memoryOf(roles);
  fleet.subscribeAll(request("OnMessageAdded"), "1", (subscriber) => ({
    conversationId: subscriber.conversationId,
  }));
  await untilLive(redis, redisPrefix, "message-added", count);
  const onMessages = await memoryOf(roles);
  fleet.subscribeAll(request("OnMatchCreated"), "2", () => ({}));
  await untilLive(redis, redisPrefix, "match-created", count);
  const onMatches = await memoryOf(roles);
  if (fleet.failures.length > 0) {
    throw new Error(`${fleet.failures.length} sockets failed: ${fleet.failures[0]}`);
  }
  return {
    fleet,
    delivered: () => delivered,
    idleSocket: each(base, connected, "gateway", count),
    subscriptions: {
      OnMessageAdded: {
        gateway: each(connected, onMessages, "gateway", count),
        chat: each(connected, onMessages, "chat", count),
      },
      OnMatchCreated: {
        gateway: each(onMessages, onMatches, "gateway", count),
        discovery: each(onMessages, onMatches, "discovery", count),
      },
    },
  };
}

async function untilLive(redis: Redis, prefix: string, topic: string, count: number) {
  const live = await waitForChannels(redis, prefix, (n) => n >= count, LIVE_TIMEOUT_MS, topic);
  if (live < count) throw new Error(`only ${live} of ${count} ${topic} channels went live`);
}
