// `pnpm bench:replay`: how a `messageAdded(after:)` replay across a person's conversations holds
// up against a long backlog. Seeds one person's conversations (and other people's, which the
// replay must skip) straight into chat's tables of a database of its own, then resumes that
// person's feed from their oldest message through chat's own MessageFeed and reads it to the
// end: time, statements and how the time per page moves as the replay advances.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createLogger } from "@pulse/platform/server";
import {
  createPrismaClient,
  LivePubSub,
  StatementCounter,
  type PrismaClient,
} from "@pulse/platform/subgraph";
import { createChatServices } from "../../subgraphs/chat/src/server.ts";
import { messageCursor } from "../../subgraphs/chat/src/message/message.cursor.ts";
import { storeBacklog } from "@pulse/chat/testing";
import { provisionEnvironment } from "./discovery/environment.ts";
import { percentile } from "./stats.ts";

/** One replay: the person's conversations, messages in each, and other people's messages. */
interface Scenario {
  conversations: number;
  perConversation: number;
  otherMessages: number;
}

/** Messages of other people beside the person's, which the replay must skip. */
const OTHER_MESSAGES = 100_000;
/** Other people's conversations hold this many messages each. */
const OTHERS_PER_CONVERSATION = 200;
/** Messages a person's conversation gets per turn while seeding. */
const TURN = 20;
/** Chat's replay page (MessageFeed's default): the time per page is read at this stride. */
const PAGE = 500;
/** Every this many pages, the heap still used after a full collection is read (untimed). */
const HEAP_EVERY_PAGES = 20;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: { scenarios: { type: "string", default: "50x2000,500x200" } },
});
const scenarios: Scenario[] = values.scenarios.split(",").map((text) => {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  const [conversations, perConversation] = [Number(match?.[1]), Number(match?.[2])];
  // Ten pages at least, so that the first and the last tenth of them mean something.
  if (!match || conversations * perConversation < 10 * PAGE + 1) {
    throw new Error(`--scenarios: CONVERSATIONSxMESSAGES, ${10 * PAGE + 1} messages or more`);
  }
  return { conversations, perConversation, otherMessages: OTHER_MESSAGES };
});

/**
 * Stores the scenario's conversations and messages as sending them would have: the person's
 * conversations take turns, a few messages at a time, so that a page of their feed spans
 * several conversations, as a real one does; other people's come in one go each.
 */
async function seed(prisma: PrismaClient, personId: string, scenario: Scenario): Promise<void> {
  await prisma.$executeRawUnsafe(
    "TRUNCATE chat.message, chat.conversation_participant, chat.conversation, chat.feed_counter CASCADE",
  );
  const theirs = await prisma.$queryRaw<{ id: string; sender: string }[]>`
    INSERT INTO chat.conversation (id, match_id, user_low, user_high, created_at)
    SELECT gen_random_uuid(), gen_random_uuid(), LEAST(${personId}::uuid, other),
           GREATEST(${personId}::uuid, other), now() - interval '2 days'
    FROM (SELECT gen_random_uuid() AS other FROM generate_series(1, ${scenario.conversations})) AS s
    RETURNING id, user_low AS sender`;
  const others = await prisma.$queryRaw<{ id: string; sender: string }[]>`
    INSERT INTO chat.conversation (id, match_id, user_low, user_high, created_at)
    SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(),
           now() - interval '2 days'
    FROM generate_series(1, ${scenario.otherMessages / OTHERS_PER_CONVERSATION})
    RETURNING id, user_low AS sender`;
  await prisma.$executeRawUnsafe(`
    INSERT INTO chat.conversation_participant (conversation_id, user_id, last_activity_at)
    SELECT id, user_low, now() FROM chat.conversation
    UNION ALL SELECT id, user_high, now() FROM chat.conversation`);
  for (const { id, sender } of others) {
    await storeBacklog(prisma, id, sender, OTHERS_PER_CONVERSATION);
  }
  for (let stored = 0; stored < scenario.perConversation; stored += TURN) {
    for (const { id, sender } of theirs) {
      await storeBacklog(prisma, id, sender, Math.min(TURN, scenario.perConversation - stored));
    }
  }
  await prisma.$executeRawUnsafe("ANALYZE");
}

/** The heap still in use after a full collection (the script runs with --expose-gc). */
function heldHeap(): number {
  if (!globalThis.gc) throw new Error("run with --expose-gc (pnpm bench:replay does)");
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

const env = await provisionEnvironment();
const statements = new StatementCounter();
const prisma = createPrismaClient(env.databaseUrl, { statementCounter: statements });
const logger = createLogger("bench-replay", "warn");
const live = new LivePubSub(env.redisUrl, env.redisPrefix, logger);
const { feed } = createChatServices({ prisma, reads: prisma, live, logger });
try {
  for (const scenario of scenarios) {
    const person = { id: randomUUID(), role: "USER" as const, sessionId: randomUUID() };
    await seed(prisma, person.id, scenario);
    const oldest = await prisma.message.findFirstOrThrow({
      where: {
        OR: [
          { senderId: person.id, senderPosition: 1 },
          { recipientId: person.id, recipientPosition: 1 },
        ],
      },
    });
    const owed = scenario.conversations * scenario.perConversation - 1;
    const heapBefore = heldHeap();
    let heapPeak = heapBefore;
    // Subscribing reads the first page already.
    statements.reset();
    let pageStarted = performance.now();
    const messages = await feed.subscribe(person, undefined, messageCursor(oldest));
    const pageTimes: number[] = [];
    for (let replayed = 1; replayed <= owed; replayed += 1) {
      if ((await messages.next()).done) throw new Error(`the feed ended after ${replayed - 1}`);
      if (replayed % PAGE === 0) {
        pageTimes.push(performance.now() - pageStarted);
        if (pageTimes.length % HEAP_EVERY_PAGES === 0) heapPeak = Math.max(heapPeak, heldHeap());
        pageStarted = performance.now();
      }
    }
    const seconds =
      pageTimes.reduce((sum, time) => sum + time, performance.now() - pageStarted) / 1000;
    await messages.return?.();
    const tenth = Math.floor(pageTimes.length / 10);
    const mean = (times: number[]) => times.reduce((sum, time) => sum + time, 0) / times.length;
    console.log(
      `${scenario.conversations} conversations x ${scenario.perConversation} messages ` +
        `(+${scenario.otherMessages.toLocaleString("en")} of other people): ` +
        `${owed.toLocaleString("en")} replayed in ${seconds.toFixed(1)} s ` +
        `(${Math.round(owed / seconds).toLocaleString("en")}/s), ` +
        `${(statements.count / Math.ceil(owed / PAGE)).toFixed(1)} statements per page of ${PAGE}; ` +
        `ms per page: first tenth ${mean(pageTimes.slice(0, tenth)).toFixed(1)}, ` +
        `last tenth ${mean(pageTimes.slice(-tenth)).toFixed(1)}, p99 ${percentile(pageTimes, 99).toFixed(1)}; ` +
        `heap held (after a full collection every ${HEAP_EVERY_PAGES} pages) at most ` +
        `+${((heapPeak - heapBefore) / 2 ** 20).toFixed(1)} MiB`,
    );
  }
} finally {
  await live.close();
  await prisma.$disconnect();
  await env.dispose();
}
