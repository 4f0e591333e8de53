// How each server under test gets its messages: a real `sendMessage` mutation over HTTP, through
// the gateway for the gateway, straight to chat for the baseline. Either way chat commits the
// message and PUBLISHes it; the server under test delivers it.
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { FORWARDED_IDENTITY_HEADER, signForwardedIdentity } from "@pulse/platform/server";
import { type PrismaClient } from "@pulse/platform/subgraph";
import type { RoleProcess } from "./children.ts";
import type { PhaseTarget, PlannedMessage } from "./phase.ts";
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
      await postSendMessage(
        `${gateway.url}/graphql`,
        { authorization: `Bearer ${message.senderToken}` },
        { query: sendMessageQuery, message },
      );
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
 * Keep-alive connections for the sends. node:http rather than fetch: fetch's WHATWG machinery
 * made most of the driver's garbage during a load, and the driver's own collections delay the
 * receipts it times.
 */
const sendAgent = new Agent({ keepAlive: true });

/** Sends `message` with `sendMessage` over HTTP; throws unless it was stored. */
async function postSendMessage(
  url: string,
  headers: Record<string, string>,
  { query, message }: { query: string; message: PlannedMessage },
): Promise<void> {
  const { status, body } = await postJson(
    url,
    headers,
    JSON.stringify({
      query,
      operationName: "SendMessage",
      variables: {
        input: {
          conversationId: message.conversation.id,
          body: message.body,
          clientMessageId: message.key,
        },
      },
    }),
  );
  const result = JSON.parse(body) as SendMessageResponse;
  if (result.errors?.length || !result.data?.sendMessage) {
    throw new Error(`sendMessage: HTTP ${status} ${JSON.stringify(result.errors)}`);
  }
}

/** POSTs JSON `body` to `url`; resolves to the status and the whole response body. */
function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: "POST",
        agent: sendAgent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
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

/** What the driver asks of `sendMessage` when it calls chat directly: the id is enough. */
const DIRECT_SEND_MESSAGE = `mutation SendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) { id }
}`;

/**
 * The baseline: the same messages through the same write path minus federation. Each one is a
 * `sendMessage` mutation straight to chat, with the identity the gateway would have forwarded
 * (signed by the driver with the gateway's secret), so chat commits it and PUBLISHes it to both
 * people's channels exactly as in the gateway's phase, and the bare server delivers those events.
 * Its counters, the database's, show what the idle subgraphs cost meanwhile.
 */
export function baselineTarget(
  baseline: RoleProcess,
  chat: RoleProcess,
  gatewaySecret: string,
  prisma: PrismaClient,
): PhaseTarget {
  return {
    label: "baseline",
    server: baseline,
    countersLagMs: POSTGRES_STATS_LAG_MS,
    counters: async () => new Map(await postgresCounters(prisma)),
    async send(message: PlannedMessage) {
      const identity = await signForwardedIdentity(
        {
          viewer: { id: message.sender.id, role: "USER", sessionId: "bench-direct" },
          clientIp: "127.0.0.1",
          requestId: randomUUID(),
        },
        gatewaySecret,
      );
      await postSendMessage(
        `${chat.url}/graphql`,
        { [FORWARDED_IDENTITY_HEADER]: identity },
        {
          query: DIRECT_SEND_MESSAGE,
          message,
        },
      );
    },
  };
}
