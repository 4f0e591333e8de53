// `pnpm bench:discovery`: seeds 100,000 people over a realistic area into a database of its own,
// gives the people it asks as a history of swipes, boots every subgraph and the gateway in this
// process, and reports the latency of `discover` (first: 50) through the gateway and directly
// against the subgraph, with the candidate query's plan. Requests are sequential over loopback,
// each as a random seeded person.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Prisma } from "@pulse/db";
import { FORWARDED_IDENTITY_HEADER } from "@pulse/platform/server";
import { createPrismaClient } from "@pulse/platform/subgraph";
import { buildSchema, parse, validate } from "graphql";
import {
  candidateQuery,
  findCandidates,
} from "../../subgraphs/discovery/src/candidate/candidate.query.ts";
import { loadContractOperations } from "../lib/contract-operations.ts";
import { apiSchemaPath } from "../lib/compose-supergraph.ts";
import { provisionEnvironment } from "./discovery/environment.ts";
import { seedPeople, seedSwipes } from "./discovery/seed.ts";
import { startBenchStack } from "./discovery/stack.ts";
import { describeLatencies } from "./stats.ts";

const PEOPLE = 100_000;
const VIEWERS = 200;
const WARM_UP = 50;
const REQUESTS = 500;
const FIRST = 50;
/** Swipes each viewer has already made: discover leaves them out. */
const SWIPES_PER_VIEWER = 1_000;

/** Discovery's own fields: what the subgraph answers by itself. */
const OWN_FIELDS = `query Discover($first: Int) {
  discover(first: $first) { user { id } distanceKm score }
}`;

/** The contract's `Discover` when the composed schema serves it (profiles present), else ours. */
function gatewayDocument(): { name: string; query: string } {
  const contract = loadContractOperations().get("Discover")!;
  const schema = buildSchema(readFileSync(apiSchemaPath, "utf8"));
  return validate(schema, parse(contract)).length === 0
    ? { name: "the contract's Discover (every field, profiles included)", query: contract }
    : {
        name: "discovery's own fields (the composed schema has no User.profile yet)",
        query: OWN_FIELDS,
      };
}

async function post(url: string, query: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables: { first: FIRST } }),
  });
  const body = (await response.json()) as { data?: { discover: unknown[] }; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`discover failed: ${JSON.stringify(body.errors)}`);
  return body.data.discover.length;
}

/** Times `REQUESTS` sequential calls after `WARM_UP` untimed ones, rotating through viewers. */
async function measure(
  viewers: string[],
  call: (viewer: string) => Promise<() => Promise<number>>,
): Promise<{ samples: number[]; meanResults: number }> {
  const samples: number[] = [];
  let results = 0;
  for (let i = 0; i < WARM_UP + REQUESTS; i += 1) {
    const request = await call(viewers[i % viewers.length]!);
    const start = performance.now();
    const count = await request();
    if (i >= WARM_UP) {
      samples.push(performance.now() - start);
      results += count;
    }
  }
  return { samples, meanResults: results / REQUESTS };
}

const environment = await provisionEnvironment();
const prisma = createPrismaClient(environment.databaseUrl, { maxConnections: 2 });
const stack = await startBenchStack(environment);
try {
  const started = performance.now();
  await seedPeople(prisma, PEOPLE);
  console.log(`seeded ${PEOPLE} people in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const viewers = (
    await prisma.$queryRaw<{ id: string }[]>`
      SELECT user_id::text AS id FROM discovery.candidate ORDER BY random() LIMIT ${VIEWERS}`
  ).map((row) => row.id);
  // The densest case, whose plan is printed at the end: the person closest to the centre of the
  // biggest city.
  const [central] = await prisma.$queryRaw<{ id: string }[]>`
    SELECT user_id::text AS id FROM discovery.candidate
    ORDER BY earth <-> ll_to_earth(52.52, 13.405) LIMIT 1`;
  await seedSwipes(prisma, [...viewers, central!.id], SWIPES_PER_VIEWER);
  const tokens = new Map(
    await Promise.all(viewers.map(async (id) => [id, await stack.accessToken(id)] as const)),
  );
  const document = gatewayDocument();

  const gateway = await measure(
    viewers,
    async (viewer) => () =>
      post(`${stack.gatewayUrl}/graphql`, document.query, {
        authorization: `Bearer ${tokens.get(viewer)}`,
      }),
  );
  const direct = await measure(viewers, async (viewer) => {
    const identity = await stack.forwardedIdentity(viewer);
    return () =>
      post(`${stack.urls.discovery}/graphql`, OWN_FIELDS, {
        [FORWARDED_IDENTITY_HEADER]: identity,
      });
  });
  const query = await measure(
    viewers,
    async (viewer) => async () => (await findCandidates(prisma, viewer, FIRST)).length,
  );

  console.log(
    `\ndiscover(first: ${FIRST}), ${REQUESTS} sequential requests each after ${WARM_UP} warm-up, ` +
      `as ${VIEWERS} random people with ${SWIPES_PER_VIEWER} swipes each (mean ${gateway.meanResults.toFixed(1)} people per answer)`,
  );
  console.log(`through the gateway, ${document.name}:`);
  console.log(`  ${describeLatencies(gateway.samples)}`);
  console.log(`directly against the discovery subgraph (discovery's own fields):`);
  console.log(`  ${describeLatencies(direct.samples)}`);
  console.log(`the candidate query alone (discovery's SQL through Prisma, no HTTP):`);
  console.log(`  ${describeLatencies(query.samples)}`);

  const plan = await prisma.$queryRaw<{ "QUERY PLAN": string }[]>(
    Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${candidateQuery(central!.id, FIRST)}`,
  );
  const lines = plan.map((row) => row["QUERY PLAN"]);
  console.log(`\ncandidate query plan for a person in central Berlin (the densest spot):`);
  console.log(lines.join("\n"));
  const geoIndexUsed = lines.some((line) => /candidate_match_key_\w+_idx/.test(line));
  console.log(`\ngeo index used: ${geoIndexUsed ? "yes" : "NO"}`);
  if (!geoIndexUsed) process.exitCode = 1;
} finally {
  await stack.close();
  await prisma.$disconnect();
  await environment.dispose();
}
