import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { buildSchema, Kind, parse, type OperationDefinitionNode } from "graphql";
import { registerWithProfile } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContractOperations } from "../../scripts/lib/contract-operations.ts";
import { hostileJson, hostileVariables } from "../fuzz/hostile-variables.ts";

// Every contract operation, with variables fast-check makes hostile from the schema's input
// types, through the real gateway: bad input is the client's mistake, never a 5xx or an
// INTERNAL_SERVER_ERROR. A fixed seed, so a failure reproduces; a bounded count per operation.
const SEED = 20_261_207;
const RUNS_PER_OPERATION = 10;

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
beforeAll(async () => {
  stack = await startStack();
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
function errorLogs() {
  return Object.entries(stack.logs).flatMap(([service, lines]) =>
    lines.filter((line) => Number(line.level) >= 50).map((line) => ({ service, ...line })),
  );
}

describe.each(["anonymous", "signed in"])("hostile variables, %s", (viewer) => {
  it.each(operations.map((operation) => [operation.name, operation] as const))(
    "%s answers a client error, never a server error",
    async (_name, operation) => {
      // A person of their own per operation: LogoutEverywhere must not sign out the others.
      const token =
        viewer === "signed in" ? (await registerWithProfile(stack)).accessToken : undefined;
      await fc.assert(
        fc.asyncProperty(hostileVariables(schema, operation.definition), async (variables) => {
          const { status, codes } = await post(operation.text, operation.name, variables, token);
          expect(status).toBeLessThan(500);
          expect(codes).not.toContain("INTERNAL_SERVER_ERROR");
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
      expect(errorLogs()).toEqual([]);
    },
  );
});
