// A rolling deploy, as ADR 0023 requires it to work: the previous release's code (a commit of
// this repository, checked out and installed beside the working tree) serves mixed load on its
// own migrations; this release's migrations are applied under that load; then this release's
// services start on the same database and Redis and both serve at once. Whatever one release
// writes (cursors, live events, domain events) the other must read. `pnpm test:release`.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { applyMigrations } from "@pulse/db/migrate";
import { createPrismaClient, type PrismaClient } from "@pulse/platform/subgraph";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ApiClient } from "@pulse/testkit/api-client";
import { repoRoot } from "@pulse/testkit/compiled-service";
import {
  birthdateForAge,
  createProfile,
  matchedPair,
  registerUser,
  uniqueUsername,
  untilDiscoverable,
  type FixtureStack,
  type MatchedPair,
} from "@pulse/testkit/fixtures";
import { untilListening } from "@pulse/testkit/live";
import type { TestStripe } from "@pulse/testkit/local-stripe";
import { placeOfItsOwn } from "@pulse/testkit/places";
import { stackEnvironment } from "@pulse/testkit/stack";
import { stopCompiledServices, type CompiledService } from "@pulse/testkit/compiled-service";
import { addressOf, startTcpBalancer, type TcpBalancer } from "@pulse/testkit/tcp-proxy";
import { WsTestClient, type TestSubscription } from "@pulse/testkit/ws-client";
import { dropDatabase, withDatabase } from "../../scripts/lib/local-postgres.ts";
import { isServerError } from "../e2e/faults/fault-run.ts";
import { MixedLoad, tabulate, type Client, type Operation } from "../e2e/faults/load.ts";
import { MessageLedger, receivedIds } from "../e2e/faults/messages.ts";
import {
  checkOutRelease,
  migrateWith,
  migrationsOf,
  previousReleaseCommit,
  type ReleaseTree,
} from "./previous-release.ts";
import { startRelease, type ReleaseServices, type SharedEnv } from "./release-services.ts";

/** An install of the previous release and two sets of cold starts, on a busy 2-core machine. */
const SETUP_TIMEOUT_MS = 600_000;
/** Each phase waits for the load to succeed at everything a few times over, and may restart. */
const PHASE_TIMEOUT_MS = 240_000;
/** How long the load may take to succeed at every operation once. */
const ROUND_TIMEOUT_MS = 60_000;
/** Rounds of the load (every operation succeeding once more) that each phase serves. */
const ROUNDS_PER_PHASE = 10;

let previous: ReleaseTree;
/** This release's migrations that the previous release lacks: the ones the test applies. */
let newMigrations: string[];
let databaseName: string;
let databaseUrl: string;
let stripe: TestStripe;
let env: SharedEnv;
let older: ReleaseServices;
let newer: ReleaseServices;
let prisma: PrismaClient;
let redis: Redis;

/** The fixtures' view of one gateway: its API, and the shared database and Redis. */
function through(gateway: CompiledService): FixtureStack {
  return {
    client: (token) => new ApiClient(`${gateway.url}/graphql`, token),
    prisma,
    redis,
    // Both releases read the primary: this test runs without a read replica.
    untilReadReplicaCaughtUp: async () => {},
  };
}

beforeAll(async () => {
  previous = await checkOutRelease(await previousReleaseCommit());
  const current = await migrationsOf(repoRoot);
  newMigrations = current.filter((name) => !previous.migrations.includes(name));
  const unknown = previous.migrations.filter((name) => !current.includes(name));
  // Honest about what it proves: without a migration to apply it would pass vacuously.
  if (newMigrations.length === 0 || unknown.length > 0) {
    throw new Error(
      `previous release ${previous.commit} has migrations [${previous.migrations.join(", ")}], ` +
        `this one [${current.join(", ")}]: the test needs this release to add migrations to ` +
        "the previous one's (set PREVIOUS_RELEASE to a commit before the newest migrations)",
    );
  }

  console.log(`previous release ${previous.commit}; applying ${newMigrations.join(", ")}`);
  databaseName = `pulse_release_${randomBytes(4).toString("hex")}`;
  databaseUrl = withDatabase(inject("databaseUrl"), databaseName);
  await migrateWith(previous, databaseUrl);
  prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
  redis = new Redis(inject("redisUrl"));

  const environment = await stackEnvironment({ DATABASE_URL: databaseUrl });
  env = environment.env;
  stripe = environment.stripe;
  older = await startRelease("previous", previous.root, env);
  stripe.stripe.addWebhookEndpoint(`${older.gateway.url}/webhooks/stripe`, stripe.webhookSecret);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(loads.map((load) => load.stop()));
  await Promise.all(sockets.map((socket) => socket.close()));
  await stopCompiledServices();
  await Promise.all([...balancers.values()].map((proxy) => proxy.close()));
  await stripe?.stripe.close();
  await prisma?.$disconnect();
  redis?.disconnect();
  if (databaseName) await dropDatabase(databaseUrl, databaseName);
});

/**
 * Requests of each kind the previous release's clients send, through `client`, by the subgraph
 * that answers them: every subgraph of the previous release must have some (the balancers check
 * the rolling gateway reached each one's new replica).
 */
function mixedLoad(ledger: MessageLedger, client: (token?: string) => Client): MixedLoad {
  const [alice, bob] = [client(pair.alice.accessToken), client(pair.bob.accessToken)];
  let bio = 0;
  const bySubgraph: Record<string, Record<string, Operation>> = {
    identity: {
      Viewer: () => alice.op("Viewer"),
      Login: () =>
        client().op("Login", { input: { email: pair.bob.email, password: pair.bob.password } }),
    },
    profiles: {
      MyProfile: () => bob.op("MyProfile"),
      UpsertProfile: () =>
        bob.op("UpsertProfile", {
          input: {
            displayName: "Bob",
            username: bobUsername,
            birthdate: birthdateForAge(30),
            gender: "MALE",
            interestedIn: ["FEMALE"],
            bio: `bio ${++bio}`,
          },
        }),
    },
    discovery: {
      Discover: () => alice.op("Discover", { first: 5 }),
      Matches: () => alice.op("Matches", { first: 5 }),
    },
    chat: {
      SendMessage: ledger.send,
      ConversationMessages: () => alice.op("ConversationMessages", { id: pair.conversationId }),
    },
    billing: { Plans: () => client().op("Plans") },
    competitions: { Competitions: () => alice.op("Competitions", { first: 5 }) },
  };
  const names = [...older.subgraphs.keys()];
  const unloaded = names.filter((name) => !bySubgraph[name]);
  if (unloaded.length > 0) throw new Error(`no load for ${unloaded.join(", ")}: add some here`);
  return new MixedLoad(
    Object.fromEntries(names.flatMap((name) => Object.entries(bySubgraph[name]!))),
  );
}

/** Waits until every operation of each load succeeded {@link ROUNDS_PER_PHASE} times more. */
async function serveRounds(...running: MixedLoad[]): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_PHASE; round++) {
    const since = performance.now();
    await Promise.all(running.map((load) => load.untilEachSucceeded(since, ROUND_TIMEOUT_MS)));
  }
}

function expectNoServerError(label: string, load: MixedLoad): void {
  console.log(`\n${label}`);
  console.table(tabulate(load.outcomes));
  // A slow answer (HANG: over 10 s) is no incompatibility: two releases starting on two cores
  // may starve a request for that long. It shows in the table.
  const failed = load.outcomes.filter(isServerError);
  expect(tabulate(failed), label).toEqual([]);
}

let pair: MatchedPair;
let bobUsername: string;
/** The previous release's gateway in front of both releases' subgraphs, as in a rollout. */
let rolling: CompiledService;
/** In front of each subgraph's two replicas, as its Kubernetes Service, by subgraph. */
const balancers = new Map<string, TcpBalancer>();
const loads: MixedLoad[] = [];
const ledgers: MessageLedger[] = [];
const sockets: WsTestClient[] = [];
/** Alice's messageAdded through the previous release's gateway, from the start. */
let aliceViaOld: TestSubscription;
/** Resumed, with a cursor the previous release issued, through the other two gateways. */
let resumed: { afterMessage: string; subscriptions: TestSubscription[] };

async function subscribe(gateway: CompiledService, token: string, after?: string) {
  const socket = await WsTestClient.connect(gateway.url, token);
  sockets.push(socket);
  return socket.subscribe("OnMessageAdded", {
    conversationId: pair.conversationId,
    ...(after ? { after } : {}),
  });
}

/** Starts the mixed load through `gateway`, its messages sent by `sender` of the pair. */
function startLoad(gateway: CompiledService, sender: "alice" | "bob"): MixedLoad {
  const via = through(gateway);
  const ledger = new MessageLedger(via.client(pair[sender].accessToken), pair.conversationId);
  const load = mixedLoad(ledger, (token) => via.client(token));
  ledgers.push(ledger);
  loads.push(load);
  load.start();
  return load;
}

describe("a rolling deploy from the previous release", () => {
  it(
    "the previous release serves on its own migrations",
    { timeout: PHASE_TIMEOUT_MS },
    async () => {
      const viaOld = through(older.gateway);
      pair = await matchedPair(viaOld);
      // Two more matches for Alice, so her matches and conversations have pages.
      await matchedPair(viaOld, pair);
      await matchedPair(viaOld, pair);
      bobUsername = uniqueUsername("bob");
      aliceViaOld = await subscribe(older.gateway, pair.alice.accessToken);
      await untilListening(liveKeys(), "message-added", pair.alice.id);
      await serveRounds(startLoad(older.gateway, "bob"));
    },
  );

  it(
    "keeps serving while this release's migrations are applied",
    { timeout: PHASE_TIMEOUT_MS },
    async () => {
      expect(await applyMigrations(databaseUrl)).toEqual(newMigrations);
      await serveRounds(...loads);
    },
  );

  it(
    "serves side by side with this release on the same database and Redis",
    { timeout: SETUP_TIMEOUT_MS },
    async () => {
      // The supergraph changes last (docs/deploy.md): until every subgraph replica is new, this
      // release's gateways plan with the previous release's supergraph too.
      newer = await startRelease(
        "current",
        repoRoot,
        env,
        path.join(previous.root, "schema/supergraph.graphql"),
      );
      // Each subgraph's first new connection goes to this release's replica.
      for (const [name, replica] of older.subgraphs) {
        const current = newer.subgraphs.get(name);
        if (!current) throw new Error(`this release has no ${name}: a removal is not rehearsed`);
        balancers.set(name, await startTcpBalancer([current.url, replica.url].map(addressOf)));
      }
      rolling = await older.startGateway(
        Object.fromEntries(
          [...balancers].map(([name, proxy]) => [name, `http://${proxy.address}`]),
        ),
      );

      const newest = await through(older.gateway)
        .client(pair.alice.accessToken)
        .op("ConversationMessages", { id: pair.conversationId, first: 1 });
      const [edge] = newest.data!.conversation.messages.edges as Connection["edges"];
      resumed = {
        afterMessage: edge!.node.id,
        subscriptions: await Promise.all([
          subscribe(newer.gateway, pair.bob.accessToken, edge!.cursor),
          subscribe(rolling, pair.alice.accessToken, edge!.cursor),
        ]),
      };
      startLoad(newer.gateway, "alice");
      startLoad(rolling, "bob");
      await serveRounds(...loads);
      await Promise.all(loads.map((load) => load.stop()));

      const [viaOld, viaNew, viaRolling] = loads;
      expectNoServerError("the previous release's gateway, every phase", viaOld!);
      expectNoServerError("this release's gateway, side by side", viaNew!);
      expectNoServerError("the previous release's gateway over both releases", viaRolling!);
      const connections = Object.fromEntries(
        [...balancers].map(([name, balancer]) => [
          name,
          balancer.targets.map((target) => balancer.connectionsMade().get(target) ?? 0),
        ]),
      );
      console.log("\nconnections of the rolling gateway to [this, the previous] release's replica");
      console.table(connections);
      for (const [name, [toCurrent]] of Object.entries(connections)) {
        expect(toCurrent, `${name}: connections to this release`).toBeGreaterThan(0);
      }
    },
  );

  it("answers cursors the other release issued", async () => {
    const pages = [
      { operation: "Matches", variables: {}, path: ["matches"] },
      { operation: "Conversations", variables: {}, path: ["conversations"] },
      {
        operation: "ConversationMessages",
        variables: { id: pair.conversationId },
        path: ["conversation", "messages"],
      },
    ];
    const answers: Record<string, string[]> = {};
    const expected: Record<string, string[]> = {};
    for (const [issuer, answerer] of [
      [older, newer],
      [newer, older],
    ] as const) {
      for (const { operation, variables, path: at } of pages) {
        const page = (release: ReleaseServices, after?: string) =>
          through(release.gateway)
            .client(pair.alice.accessToken)
            .op(operation, { ...variables, first: 1, ...(after ? { after } : {}) })
            .then((response) => connectionAt(response.data, at));
        const first = await page(issuer);
        const key = `${operation} issued by ${issuer.label}, answered by ${answerer.label}`;
        answers[key] = nodeIds(await page(answerer, first.pageInfo.endCursor));
        expected[key] = nodeIds(await page(issuer, first.pageInfo.endCursor));
        expect(answers[key], key).toHaveLength(1);
      }
    }
    expect(answers).toEqual(expected);
  });

  it("delivers each release's live events to the other's subscribers", async () => {
    const [viaOld, ...sidebySide] = ledgers.map((ledger) => ledger.acknowledged);
    // Alice's subscription through the previous release listens on its chat: it gets what this
    // release's chat published too.
    await untilReceived(aliceViaOld, [...viaOld!, ...sidebySide.flat()]);
    // The resumed ones listen on this release's chat (and, through the balancer, maybe the
    // previous one's), after a cursor the previous release issued.
    expect(viaOld).toContain(resumed.afterMessage);
    const afterCursor = viaOld!.slice(viaOld!.indexOf(resumed.afterMessage) + 1);
    expect(afterCursor.length).toBeGreaterThan(0);
    for (const subscription of resumed.subscriptions) {
      await untilReceived(subscription, [...afterCursor, ...sidebySide.flat()]);
    }
    for (const subscription of [aliceViaOld, ...resumed.subscriptions]) {
      const received = receivedIds(subscription);
      expect(received.length - new Set(received).size, "duplicated").toBe(0);
      expect(subscription.ended).toBeNull();
    }
  });

  it(
    "consumes the domain events each release published, with only the other consuming",
    { timeout: PHASE_TIMEOUT_MS },
    async () => {
      // Both releases' relays drain the same outbox, whichever wakes first: each half stops the
      // consumer's producing subgraph, so the event leaves through the producer's relay.
      const only = async (stopped: [ReleaseServices, string][], work: () => Promise<void>) => {
        for (const [release, name] of stopped) await release.stopSubgraph(name);
        await work();
        for (const [release, name] of stopped) await release.startSubgraph(name);
      };
      for (const [producer, consumer] of [
        [older, newer],
        [newer, older],
      ] as const) {
        // Profiles publishes profile.updated, which discovery consumes.
        await only(
          [
            [producer, "discovery"],
            [consumer, "profiles"],
          ],
          async () => {
            const person = await registerUser(through(producer.gateway));
            const location = await placeOfItsOwn(redis);
            const profile = await createProfile(person, { displayName: "Rolling", location });
            await untilDiscoverable(through(consumer.gateway), { ...person, profile });
          },
        );
        // Discovery publishes match.created, which chat consumes (the pair's profiles reach the
        // producer's discovery).
        await only(
          [
            [producer, "chat"],
            [consumer, "discovery"],
          ],
          async () => {
            await matchedPair(through(producer.gateway));
          },
        );
      }
    },
  );

  it("logged no error in either release and dead-lettered no event", async () => {
    expect({ ...older.errors(), ...newer.errors() }).toEqual({});
    expect(await redis.xlen(`${env.REDIS_PREFIX}events:dead-letter`)).toBe(0);
  });
});

/** What `untilListening` needs: the shared Redis and the releases' prefix. */
function liveKeys() {
  return { redis, redisPrefix: env.REDIS_PREFIX! };
}

interface Connection {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { endCursor: string };
}

function connectionAt(data: unknown, at: string[]): Connection {
  const found = at.reduce<unknown>(
    (value, key) => (value as Record<string, unknown> | null)?.[key],
    data,
  );
  if (!found) throw new Error(`no connection at ${at.join(".")} in ${JSON.stringify(data)}`);
  return found as Connection;
}

function nodeIds(connection: Connection): string[] {
  return connection.edges.map((edge) => edge.node.id);
}

async function untilReceived(subscription: TestSubscription, ids: string[]): Promise<void> {
  await expect
    .poll(() => ids.filter((id) => !receivedIds(subscription).includes(id)), { timeout: 30_000 })
    .toEqual([]);
}
