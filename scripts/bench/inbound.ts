// `pnpm bench:inbound`: what a person's feed counter costs sends. Storing a message holds both
// people's counters until it commits, so messages to one person from many conversations commit
// one after another. Many senders send at once through chat's own MessageService, each in a
// conversation of their own, first to as many different people, then all to one person:
// messages per second and the send's latency. `--synchronous-commit` waits for the disk at each
// commit, as production does; by default the database does not (as in the other benchmarks).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createLogger, type Viewer } from "@pulse/platform/server";
import { createPrismaClient, LivePubSub, type PrismaClient } from "@pulse/platform/subgraph";
import { openConversation } from "../../subgraphs/chat/src/conversation/conversation-lifecycle.service.ts";
import { createChatServices } from "../../subgraphs/chat/src/server.ts";
import { provisionEnvironment } from "./discovery/environment.ts";
import { percentile } from "./stats.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    senders: { type: "string", default: "20" },
    messages: { type: "string", default: "100" },
    "synchronous-commit": { type: "boolean", default: false },
  },
});
const senders = Number(values.senders);
const perSender = Number(values.messages);

/** One conversation per sender, with the recipient `recipientOf(index)`, opened as a match does. */
async function openConversations(
  prisma: PrismaClient,
  recipientOf: (index: number) => string,
): Promise<{ conversationId: string; sender: Viewer }[]> {
  const opened = [];
  for (let index = 0; index < senders; index += 1) {
    const sender: Viewer = { id: randomUUID(), role: "USER", sessionId: randomUUID() };
    const match = {
      matchId: randomUUID(),
      userIds: [sender.id, recipientOf(index)] as const,
      at: new Date().toISOString(),
    };
    await prisma.$transaction((tx) => openConversation(tx, match));
    const { id } = await prisma.conversation.findUniqueOrThrow({
      where: { matchId: match.matchId },
    });
    opened.push({ conversationId: id, sender });
  }
  return opened;
}

const env = await provisionEnvironment({ commitWithoutFlush: !values["synchronous-commit"] });
// A connection per sender, so that they wait on Postgres' locks rather than on the pool.
const prisma = createPrismaClient(env.databaseUrl, { maxConnections: senders });
const logger = createLogger("bench-inbound", "warn");
const live = new LivePubSub(env.redisUrl, env.redisPrefix, logger);
const { messages } = createChatServices({ prisma, reads: prisma, live, logger });
try {
  const onePerson = randomUUID();
  const scenarios = [
    // Unmeasured: the first run pays for the JIT, the pool's connections and their statements.
    { name: "warm-up", recipientOf: () => randomUUID() },
    { name: `to ${senders} people`, recipientOf: () => randomUUID() },
    { name: "all to one person", recipientOf: () => onePerson },
  ];
  for (const { name, recipientOf } of scenarios) {
    const conversations = await openConversations(prisma, recipientOf);
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      conversations.map(async ({ conversationId, sender }) => {
        for (let index = 0; index < perSender; index += 1) {
          const sent = performance.now();
          const request = { conversationId, body: `m${index}`, clientMessageId: randomUUID() };
          await messages.send(sender, request);
          latencies.push(performance.now() - sent);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (name === "warm-up") continue;
    console.log(
      `${senders} senders x ${perSender} messages at once, ${name}: ` +
        `${Math.round(latencies.length / seconds).toLocaleString("en")} messages/s, ` +
        `send p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );
  }
} finally {
  await live.close();
  await prisma.$disconnect();
  await env.dispose();
}
