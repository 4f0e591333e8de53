// How each server under test gets its messages: the gateway through a real `sendMessage`
// mutation over HTTP, the baseline through the same PUBLISHes chat makes after its commit.
import { randomUUID } from "node:crypto";
import type { LivePubSub, PrismaClient } from "@pulse/platform";
import {
  messageAddedTopic,
  toLive,
} from "../../../subgraphs/chat/src/message/message-added.topic.ts";
import type { RoleProcess } from "./children.ts";
import type { PhaseTarget, PlannedMessage, Population } from "./phase.ts";
import { scrape } from "./prometheus.ts";

interface SendMessageResponse {
  data?: { sendMessage?: { id: string } | null } | null;
  errors?: unknown[];
}

/**
 * The gateway: `SendMessage` (the contract's text) as the sender. Counters: every operation the
 * profiles subgraph served (`graphql_operation_duration_seconds_count` by operation), the
 * gateway's slow-consumer disconnections, profiles' card-cache hits and misses, and the
 * database's transactions.
 */
export function gatewayTarget(
  gateway: RoleProcess,
  subgraphs: Record<string, RoleProcess>,
  sendMessageQuery: string,
  prisma: PrismaClient,
): PhaseTarget {
  const profiles = subgraphs.profiles!;
  return {
    label: "gateway",
    server: gateway,
    // Chat holds every subscriber's upstream subscription: its memory grows with N too.
    alsoMeasure: [subgraphs.chat!],
    countersLagMs: POSTGRES_STATS_LAG_MS,
    async send(message: PlannedMessage) {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${message.senderToken}`,
        },
        body: JSON.stringify({
          query: sendMessageQuery,
          operationName: "SendMessage",
          variables: {
            input: {
              conversationId: message.conversation.id,
              body: message.body,
              clientMessageId: message.key,
            },
          },
        }),
      });
      const result = (await response.json()) as SendMessageResponse;
      if (result.errors?.length || !result.data?.sendMessage) {
        throw new Error(`sendMessage: HTTP ${response.status} ${JSON.stringify(result.errors)}`);
      }
    },
    async counters() {
      const operations = await scrape(
        profiles.url,
        "graphql_operation_duration_seconds_count",
        "operation",
      );
      const seconds = await scrape(
        profiles.url,
        "graphql_operation_duration_seconds_sum",
        "operation",
      );
      const chatOperations = await scrape(
        subgraphs.chat!.url,
        "graphql_operation_duration_seconds_count",
        "operation",
      );
      const overflows = await scrape(gateway.url, "gateway_subscription_overflows_total", "");
      const cardLookups = await scrape(profiles.url, "cache_lookups_total", "result");
      return new Map([
        ...(await postgresCounters(prisma)),
        ...[...operations].map(([name, count]) => [`profiles ${name}`, count] as const),
        ...[...chatOperations].map(([name, count]) => [`chat ${name}`, count] as const),
        // Its own time serving them: the mean tells how much of a delivery is the fetch.
        ...[...seconds].map(([name, sum]) => [`profiles ${name} ms`, sum * 1000] as const),
        ["gateway slow-consumer disconnects", overflows.get("") ?? 0],
        ...[...cardLookups].map(
          ([result, count]) => [`profiles card cache ${result}`, count] as const,
        ),
      ]);
    },
  };
}

/**
 * A busy Postgres backend publishes its statistics at its first transaction a second after the
 * last publication, an idle one after 10 s (PGSTAT_IDLE_INTERVAL): read them that long after the
 * work, or the connections' subscription lookups show up in the load's figures.
 */
const POSTGRES_STATS_LAG_MS = 11_000;

/**
 * The database's transactions so far (every statement outside a transaction counts as one),
 * and table reads per schema. Postgres flushes these statistics about once a second, hence
 * read after the drain.
 */
async function postgresCounters(prisma: PrismaClient): Promise<[string, number][]> {
  const [stats] = await prisma.$queryRaw<{ transactions: number }[]>`
    SELECT (xact_commit + xact_rollback)::float8 AS transactions
    FROM pg_stat_database WHERE datname = current_database()`;
  // Table reads by schema, i.e. by subgraph: which one the load sends to the database.
  const scans = await prisma.$queryRaw<{ schema: string; scans: number }[]>`
    SELECT schemaname AS schema, sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::float8 AS scans
    FROM pg_stat_user_tables GROUP BY schemaname`;
  return [
    ["postgres transactions", stats?.transactions ?? 0],
    ...scans.map(({ schema, scans }): [string, number] => [`${schema} table scans`, scans]),
  ];
}

/**
 * The baseline: the live payload chat would publish (the message with its conversation),
 * PUBLISHed to both people's channels, as chat does after its commit. Its
 * counters, the database's, show what the idle subgraphs cost meanwhile
 * (relays and consumers polling): the background in the gateway's figure.
 */
export function baselineTarget(
  baseline: RoleProcess,
  live: LivePubSub,
  population: Population,
  prisma: PrismaClient,
): PhaseTarget {
  let seq = 0;
  return {
    label: "baseline",
    server: baseline,
    counters: async () => new Map(await postgresCounters(prisma)),
    async send(message: PlannedMessage) {
      seq += 1;
      // Serialised by chat's own `toLive`, so the payload is the one chat publishes.
      const payload = toLive(
        {
          id: randomUUID(),
          conversationId: message.conversation.id,
          seq: BigInt(seq),
          senderId: message.sender.id,
          clientMessageId: message.key,
          body: message.body,
          sentAt: new Date(),
        },
        { ...message.conversation.row, lastSeq: BigInt(seq) },
      );
      await Promise.all(
        message.conversation.people.map((person) =>
          live.publish(messageAddedTopic(population.people[person]!.id), payload),
        ),
      );
    },
  };
}
