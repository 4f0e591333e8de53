// `pnpm bench:subscriptions`: N graphql-ws connections (N = 1,000, 5,000 and 10,000 by default)
// as the two people of N/2 conversations, each subscribed to its conversation's `messageAdded`
// with the contract's OnMessageAdded (sender's profile included); messages at a fixed total rate
// for a fixed time; delivery latency, lost and duplicated deliveries, profile fetches per
// delivery and memory per 1,000 connections, first through the federated gateway, then against a
// bare graphql-ws server delivering the same events from the same Redis channels, with the
// ratios. Either way each message is a real `sendMessage` that chat commits and publishes. Every server is a process of its own; all share this machine's cores.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "@pulse/platform/subgraph";
import { Redis } from "ioredis";
import { loadContractOperations } from "../lib/contract-operations.ts";
import { provisionEnvironment } from "./discovery/environment.ts";
import type { RoleProcess } from "./subscriptions/children.ts";
import { requireOpenFiles } from "./subscriptions/fd-limit.ts";
import { describeLogs } from "./subscriptions/logs.ts";
import { describeCommand, readOptions } from "./subscriptions/options.ts";
import {
  runPhase,
  type PhaseContext,
  type PhaseResult,
  type Population,
} from "./subscriptions/phase.ts";
import { describeCount, describeSummary, legend } from "./subscriptions/report.ts";
import { seedConversations, seedPeople } from "./subscriptions/seed.ts";
import {
  makeSecrets,
  serviceEnv,
  startBaselineProcess,
  startGatewayProcess,
  startSubgraphs,
} from "./subscriptions/stack.ts";
import { baselineTarget, gatewayTarget } from "./subscriptions/targets.ts";
import { mintAccessTokens } from "./subscriptions/tokens.ts";

const options = readOptions();
const maxN = Math.max(...options.counts);
requireOpenFiles(maxN);
const operations = loadContractOperations();
const subscribeRequest = {
  query: operations.get("OnMessageAdded")!,
  operationName: "OnMessageAdded",
};
const sendMessageQuery = operations.get("SendMessage")!;

console.log(`command: ${describeCommand(options)}`);
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}; the driver, ` +
    `Postgres, Redis, every subgraph, the gateway and the baseline are separate processes sharing them`,
);

const cleanups: (() => Promise<unknown>)[] = [];
const children: RoleProcess[] = [];
let cleaned: Promise<void> | undefined;
/** Stops every child, then undoes what was provisioned, newest first; runs once. */
function cleanUp(): Promise<void> {
  cleaned ??= (async () => {
    await Promise.allSettled(children.map((child) => child.stop()));
    for (const step of cleanups.reverse()) {
      await step().catch((error: unknown) => console.error("cleanup step failed:", error));
    }
  })();
  return cleaned;
}
process.once("SIGINT", () => void cleanUp().finally(() => process.exit(130)));

const logDir = await mkdtemp(path.join(tmpdir(), "pulse-bench-subscriptions-"));
let keepLogs = true;
try {
  // A commit's flush on this machine's disk took up to 640 ms (bench/RESULTS.md): off, for both phases.
  const environment = await provisionEnvironment({ commitWithoutFlush: true });
  cleanups.push(() => environment.dispose());
  const secrets = makeSecrets();
  const env = serviceEnv(environment, secrets);
  const redis = new Redis(environment.redisUrl);
  cleanups.push(async () => redis.disconnect());
  const prisma = createPrismaClient(environment.databaseUrl, { maxConnections: 2 });
  cleanups.push(() => prisma.$disconnect());

  let started = Date.now();
  const subgraphs = await startSubgraphs(env, logDir, children);
  console.log(
    `subgraphs ${Object.keys(subgraphs).join(", ")} started in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  started = Date.now();
  const people = await seedPeople(prisma, maxN);
  const conversations = await seedConversations(prisma, redis, environment.redisPrefix, people);
  const tokens = await mintAccessTokens(secrets.signingKeyPem, people);
  const population: Population = { people, tokens, conversations };
  console.log(
    `seeded ${people.length.toLocaleString("en-US")} accounts and profiles, ${conversations.length.toLocaleString("en-US")} conversations ` +
      `(match.created events consumed by chat) and access tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const profilesFile = path.join(logDir, "profiles.json");
  await writeFile(
    profilesFile,
    JSON.stringify(people.map((person) => [person.id, person.displayName])),
  );

  const phaseContext: PhaseContext = {
    population,
    request: subscribeRequest,
    options,
    redis,
    redisPrefix: environment.redisPrefix,
    databaseName: new URL(environment.databaseUrl).pathname.slice(1),
    // Children still running (a stopped one's pid may be reused).
    roles: () => children.filter((child) => child.running),
  };
  console.log(legend(options));
  const results: [number, PhaseResult, PhaseResult][] = [];
  for (const n of options.counts) {
    // Fresh gateway and baseline processes per N, so each N's memory starts from the same place.
    const gateway = await startGatewayProcess(
      env,
      subgraphs,
      path.join(logDir, `gateway-${n}.log`),
    );
    children.push(gateway);
    const federated = await runPhase(
      gatewayTarget(gateway, subgraphs, sendMessageQuery, prisma),
      n,
      phaseContext,
    );
    await gateway.stop();

    const baseline = await startBaselineProcess(
      environment,
      secrets,
      profilesFile,
      path.join(logDir, `baseline-${n}.log`),
    );
    children.push(baseline);
    const bare = await runPhase(
      baselineTarget(baseline, subgraphs.chat!, secrets.gatewaySecret, prisma),
      n,
      phaseContext,
    );
    await baseline.stop();
    console.log(describeCount(n, federated, bare, options));
    results.push([n, federated, bare]);
  }

  console.log(describeSummary(results, describeCommand(options)));
  const logs = await describeLogs(logDir);
  console.log(`service logs (warn and above): ${logs ?? "none"}`);
  // Logs with warnings or errors are evidence: keep them.
  keepLogs = logs !== undefined;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
  if (keepLogs) console.log(`service logs kept in ${logDir}`);
  else await rm(logDir, { recursive: true, force: true });
}
