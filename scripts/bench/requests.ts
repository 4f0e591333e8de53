// `pnpm bench:requests`: what one request costs each process on its path, with nothing else
// running. Sequential requests (one at a time), so the CPU each process used, read from /proc,
// divided by the requests, is its cost per request:
// - `SendMessage` through the gateway (the sender's card not cached in profiles, then cached),
//   and straight to chat with the identity the gateway would forward;
// - profiles' `_entities` for people's cards, uncached then cached, as the gateway asks for them.
// The processes are the subscription benchmark's (scripts/bench/subscriptions): each subgraph
// and the gateway a process of its own, on a database and Redis prefix of the run's own.
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { FORWARDED_IDENTITY_HEADER, signForwardedIdentity } from "@pulse/platform/server";
import { createPrismaClient } from "@pulse/platform/subgraph";
import { Redis } from "ioredis";
import { loadContractOperations } from "../lib/contract-operations.ts";
import { provisionEnvironment } from "./discovery/environment.ts";
import { describeLatencies } from "./stats.ts";
import type { RoleProcess } from "./subscriptions/children.ts";
import type { PhaseTarget } from "./subscriptions/phase.ts";
import {
  seedConversations,
  seedPeople,
  type Conversation,
  type Person,
} from "./subscriptions/seed.ts";
import { startStack } from "./subscriptions/stack.ts";
import { baselineTarget, gatewayTarget } from "./subscriptions/targets.ts";
import { mintAccessTokens } from "./subscriptions/tokens.ts";

/** Requests per measured round; the first round of each kind only warms the processes up. */
const ROUND = 1_000;
/** The gateway's query for a card, as its plan for `SendMessage` sends it. */
const CARD_QUERY = `query SendMessage__profiles__1($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User { profile { displayName photos { url isPrimary } } }
  }
}`;

/** CPU seconds `pid` used so far (user and system), from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `send` for each item in turn; prints latency and each process's CPU per request. */
async function measure<Item>(
  label: string,
  items: Item[],
  roles: RoleProcess[],
  send: (item: Item) => Promise<void>,
): Promise<void> {
  const before = roles.map((role) => cpuSeconds(role.pid));
  const latencies: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await send(item);
    latencies.push(performance.now() - started);
  }
  const cpu = roles.map((role, index) => {
    const ms = ((cpuSeconds(role.pid) - before[index]!) * 1000) / items.length;
    return `${role.name} ${ms.toFixed(2)}`;
  });
  console.log(
    `${label} (${items.length}): ${describeLatencies(latencies)}; CPU ms per request: ${cpu.join(", ")}`,
  );
}

const environment = await provisionEnvironment();
const logDir = await mkdtemp(path.join(tmpdir(), "pulse-bench-requests-"));
const children: RoleProcess[] = [];
const redis = new Redis(environment.redisUrl);
const prisma = createPrismaClient(environment.databaseUrl, { maxConnections: 2 });
try {
  const { secrets, subgraphs, gateway } = await startStack(environment, logDir, children);
  const people = await seedPeople(prisma, 6 * ROUND);
  const conversations = await seedConversations(prisma, redis, environment.redisPrefix, people);
  const tokens = await mintAccessTokens(secrets.signingKeyPem, people);
  const viaGateway = gatewayTarget(
    gateway,
    subgraphs,
    loadContractOperations().get("SendMessage")!,
    prisma,
  );
  // Only its sending is used: the identity the gateway would forward, signed here, to chat.
  const direct = baselineTarget(gateway, subgraphs.chat!, secrets.gatewaySecret, prisma);
  const onPath = [gateway, subgraphs.chat!, subgraphs.profiles!];
  const profiles = subgraphs.profiles!;
  // 3,000 conversations in three thousands: A warms the gateway up, B chat and profiles' cards,
  // C's senders' cards are read first by the measured messages.
  const thousand = (first: number) => conversations.slice(first * ROUND, (first + 1) * ROUND);
  const [a, b, c] = [thousand(0), thousand(1), thousand(2)];
  /** Sends one message from the conversation's first person through `target`. */
  const send = (target: PhaseTarget) => (conversation: Conversation) => {
    const sender = conversation.people[0];
    return target.send({
      key: randomUUID(),
      body: "hello",
      conversation,
      sender: people[sender]!,
      senderToken: tokens[sender]!,
      startedAt: performance.now(),
    });
  };
  /** Asks profiles for a person's card as the gateway does. */
  const card = async (person: Person) => {
    const identity = await signForwardedIdentity(
      {
        viewer: { id: person.id, role: "USER", sessionId: "bench" },
        clientIp: "127.0.0.1",
        requestId: randomUUID(),
      },
      secrets.gatewaySecret,
    );
    const response = await fetch(`${profiles.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", [FORWARDED_IDENTITY_HEADER]: identity },
      body: JSON.stringify({
        query: CARD_QUERY,
        variables: { representations: [{ __typename: "User", id: person.id }] },
      }),
    });
    const body = (await response.json()) as { data?: { _entities?: [{ profile?: unknown }] } };
    if (!body.data?._entities?.[0]?.profile) throw new Error(`no card: ${JSON.stringify(body)}`);
  };

  await measure("warm-up, SendMessage through the gateway", a, onPath, send(viaGateway));
  await measure("warm-up, SendMessage straight to chat", b, onPath, send(direct));
  await measure("SendMessage through the gateway, card not cached", c, onPath, send(viaGateway));
  await measure("SendMessage through the gateway, card cached", c, onPath, send(viaGateway));
  await measure("SendMessage straight to chat", b, onPath, send(direct));
  // B's second people: nobody has read their cards yet.
  const unread = b.map((conversation) => people[conversation.people[1]]!);
  await measure("profiles _entities, card not cached", unread, [profiles], card);
  await measure("profiles _entities, card cached", unread, [profiles], card);
} finally {
  await Promise.allSettled(children.map((child) => child.stop()));
  redis.disconnect();
  await prisma.$disconnect();
  await environment.dispose();
  await rm(logDir, { recursive: true, force: true });
}
