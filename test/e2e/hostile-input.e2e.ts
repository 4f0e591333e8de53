import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { buildSchema, Kind, parse, type OperationDefinitionNode } from "graphql";
import { eventually } from "@pulse/testkit/eventually";
import { matchedPair, registerWithProfile } from "@pulse/testkit/fixtures";
import { liveListeners, untilListening } from "@pulse/testkit/live";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { WsTestClient } from "@pulse/testkit/ws-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContractOperations } from "../../scripts/lib/contract-operations.ts";
import { hostileJson, hostileVariables } from "../fuzz/hostile-variables.ts";

// Every contract operation, with variables fast-check makes hostile from the schema's input
// types, through the real gateway: bad input is the client's mistake, never a 5xx or an
// INTERNAL_SERVER_ERROR. A fixed seed, so a failure reproduces; a bounded count per operation.
const SEED = 20_261_207;
const RUNS_PER_OPERATION = 8;

const schema = buildSchema(
  readFileSync(path.resolve(import.meta.dirname, "../../schema/schema.graphql"), "utf8"),
);
const operations = [...loadContractOperations()].map(([name, text]) => {
  const definition = parse(text).definitions.find(
    (node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { name, text, definition };
});

let stack: Stack;
/** Ids of real things (people, a match, its conversation, a competition, a photo, plans). */
let knownIds: string[];
beforeAll(async () => {
  stack = await startStack();
  const { alice, bob, matchId, conversationId } = await matchedPair(stack);
  const competition = await alice.client.op("CreateCompetition", {
    input: {
      name: "Fuzzed steps",
      metric: "STEPS",
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  const photo = await alice.client.op("RequestPhotoUpload", {
    input: { contentType: "image/jpeg", byteSize: 1000 },
  });
  const plans = await alice.client.op("Plans");
  knownIds = [
    alice.id,
    bob.id,
    matchId,
    conversationId,
    competition.data!.createCompetition.id as string,
    photo.data!.requestPhotoUpload.photoId as string,
    ...plans.data!.plans.map((plan: { id: string }) => plan.id),
  ];
});
afterAll(() => stack?.close());

/** Posts one operation with hostile variables, written as they are (`1e400` included). */
async function post(text: string, name: string, variables: unknown, token?: string) {
  const response = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: hostileJson({ query: text, operationName: name, variables }),
  });
  const json = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, codes: (json.errors ?? []).map((e) => e.extensions?.code) };
}

/** Log lines at error level or above, from the gateway and every subgraph. */
function errorLines() {
  return Object.entries({ ...stack.logs, gateway: stack.gatewayLogs }).flatMap(([service, lines]) =>
    lines.filter((line) => Number(line.level) >= 50).map((line) => ({ service, line })),
  );
}

/** The error-level log lines of any process logged while `run` ran. */
async function errorLogsDuring(run: () => Promise<void>) {
  const before = new Set(errorLines().map(({ line }) => line));
  await run();
  return errorLines()
    .filter(({ line }) => !before.has(line))
    .map(({ service, line }) => ({ service, ...line }));
}

const overHttp = operations.filter(
  (operation) => operation.definition.operation !== "subscription",
);
const overWebSocket = operations.filter(
  (operation) => operation.definition.operation === "subscription",
);

describe.each(["anonymous", "signed in"])("hostile variables over HTTP, %s", (viewer) => {
  it.each(overHttp.map((operation) => [operation.name, operation] as const))(
    "%s answers a client error, never a server error",
    async (_name, operation) => {
      // A person of their own per operation: LogoutEverywhere must not sign out the others.
      const token =
        viewer === "signed in" ? (await registerWithProfile(stack)).accessToken : undefined;
      const logged = await errorLogsDuring(() =>
        fc.assert(
          fc.asyncProperty(
            hostileVariables(schema, operation.definition, knownIds),
            async (variables) => {
              const { status, codes } = await post(
                operation.text,
                operation.name,
                variables,
                token,
              );
              expect(status).toBeLessThan(500);
              expect(codes).not.toContain("INTERNAL_SERVER_ERROR");
            },
          ),
          { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
        ),
      );
      expect(logged).toEqual([]);
    },
  );
});

/**
 * The live channel an accepted subscription listens on: its person's, or its competition's. A
 * subscription that neither ends nor listens within the test kit's patience fails the test.
 */
function liveChannel(name: string, personId: string, variables: Record<string, unknown>) {
  if (name === "OnMessageAdded") return ["message-added", personId] as const;
  if (name === "OnMatchCreated") return ["match-created", personId] as const;
  return ["rank-changed", String(variables.competitionId)] as const;
}

const listeners = (topic: string, key: string) => liveListeners(stack, topic, key);

/** A graphql-ws socket, opened again whenever the gateway closed the last one. */
function reopeningSocket(token: string | undefined) {
  let current: { socket: WsTestClient; closed: Promise<number> } | undefined;
  let isClosed = false;
  return {
    async get() {
      if (!current || isClosed) {
        const socket = await WsTestClient.connect(stack.gatewayUrl, token);
        isClosed = false;
        current = {
          socket,
          closed: socket.closed.then(({ code }) => {
            isClosed = true;
            return code;
          }),
        };
      }
      return current;
    },
    close: () => current?.socket.close(),
  };
}

describe.each(["anonymous", "signed in"])("hostile variables over graphql-ws, %s", (viewer) => {
  it.each(overWebSocket.map((operation) => [operation.name, operation] as const))(
    "%s ends with a client error, or runs",
    async (_name, operation) => {
      const person = viewer === "signed in" ? await registerWithProfile(stack) : undefined;
      const sockets = reopeningSocket(person?.accessToken);
      const logged = await errorLogsDuring(async () => {
        try {
          await fc.assert(
            fc.asyncProperty(
              hostileVariables(schema, operation.definition, knownIds),
              async (variables) => {
                const { socket, closed } = await sockets.get();
                const subscription = socket.subscribeWithPayload(
                  hostileJson({ query: operation.text, operationName: operation.name, variables }),
                );
                const [topic, key] = liveChannel(operation.name, person?.id ?? "", variables);
                const outcome = await Promise.race([
                  subscription.end(),
                  untilListening(stack, topic, key).then(() => "listening" as const),
                  closed,
                ]);
                if (outcome === "listening") {
                  // Accepted: end it, and wait until its channel is quiet again for the next case.
                  subscription.unsubscribe();
                  await eventually(async () => expect(await listeners(topic, key)).toBe(0));
                  return;
                }
                // An anonymous socket asking what needs a signed-in person is closed (contract).
                if (typeof outcome === "number") {
                  expect(outcome).toBe(4401);
                  return;
                }
                const errors = outcome.errors ?? subscription.results[0]?.errors ?? [];
                expect(
                  errors.map((error) => error.extensions?.code),
                  JSON.stringify(errors),
                ).not.toContain("INTERNAL_SERVER_ERROR");
              },
            ),
            { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
          );
        } finally {
          await sockets.close();
        }
      });
      expect(logged).toEqual([]);
    },
  );
});
