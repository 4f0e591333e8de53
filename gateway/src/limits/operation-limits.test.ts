import { readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  parse,
  specifiedRules,
  validate,
  type OperationDefinitionNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import { loadContractOperations } from "../../../scripts/lib/contract-operations.ts";
import { operationCost } from "./operation-cost.ts";
import { checkRequest, limitRules, OPERATION_LIMITS, selectOperation } from "./operation-limits.ts";

const schema = buildSchema(
  readFileSync(path.resolve(import.meta.dirname, "../../../schema/schema.graphql"), "utf8"),
);
const rules = [...specifiedRules, ...limitRules()];

/** The contract operations the composed schema serves today. */
const served = [...loadContractOperations()].filter(
  ([, query]) => validate(schema, parse(query)).length === 0,
);

/** Every variable named `first` at the contract's cap (100), the dearest a client may ask. */
function dearestVariables(operation: OperationDefinitionNode): Record<string, unknown> {
  const names = (operation.variableDefinitions ?? []).map((v) => v.variable.name.value);
  return Object.fromEntries(names.filter((name) => name === "first").map((name) => [name, 100]));
}

const errorsOf = (query: string) => validate(schema, parse(query), rules).map((e) => e.message);

describe("operation limits", () => {
  it.each(served)("let %s through with room, at its largest pages", (_name, query) => {
    const document = parse(query, { maxTokens: OPERATION_LIMITS.maxTokens });
    expect(validate(schema, document, rules)).toEqual([]);
    const operation = selectOperation(document, undefined) as OperationDefinitionNode;
    const variables = dearestVariables(operation);
    expect(checkRequest(schema, document, operation, variables)).toBeUndefined();
    expect(operationCost(schema, document, operation, variables)).toBeLessThan(
      OPERATION_LIMITS.maxCost / 2,
    );
  });

  it("refuses a query nested 30 deep", () => {
    const nested = (depth: number) =>
      `{ __type(name: "Query") { ${"ofType { ".repeat(depth)} name ${"} ".repeat(depth)} } }`;
    expect(errorsOf(nested(10))).toEqual([]);
    expect(errorsOf(nested(30))).toEqual(["Query depth limit of 15 exceeded, found 32."]);
  });

  it("refuses 2,000 aliases of a field before parsing it whole, and 100 once parsed", () => {
    const aliases = (count: number) =>
      `{ ${Array.from({ length: count }, (_, i) => `a${i}: me { id }`).join(" ")} }`;
    expect(() => parse(aliases(2_000), { maxTokens: OPERATION_LIMITS.maxTokens })).toThrow(
      /Document contains more th.. 2000 tokens/,
    );
    expect(errorsOf(aliases(100))).toEqual(["Aliases limit of 15 exceeded, found 100."]);
  });

  it("counts each list by its page size: 15 searches of 100 people are too dear", () => {
    const search = (alias: string) =>
      `${alias}: searchUsers(query: "a", first: 100) { id profile { displayName photos { url } } }`;
    const query = `{ ${Array.from({ length: 15 }, (_, i) => search(`s${i}`)).join(" ")} }`;
    const document = parse(query);
    const operation = selectOperation(document, undefined) as OperationDefinitionNode;
    expect(checkRequest(schema, document, operation, {})?.message).toMatch(/Operation cost/);
  });

  it("refuses a Float literal that is no finite number", () => {
    expect(
      errorsOf(`mutation { updateLocation(input: {latitude: 1e400, longitude: 0}) { latitude } }`),
    ).toEqual(["1e400 is not a finite number"]);
  });

  it("names the field of a NUL character, in variables and in literals", () => {
    const document =
      parse(`mutation ($input: ProfileInput!) { upsertProfile(input: $input) { bio } }
      mutation Reset { requestPasswordReset(email: "a\\u0000@x.io") }`);
    const [upsert, reset] = document.definitions as OperationDefinitionNode[];
    const input = { displayName: "A\u0000" };
    expect(checkRequest(schema, document, upsert!, { input })?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.displayName",
    });
    expect(checkRequest(schema, document, reset!, {})?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "email",
    });
  });

  it("needs operationName for a document of several operations, naming one of them", () => {
    const document = parse(`query A { me { id } } query B { me { id } }`);
    expect((selectOperation(document, undefined) as Error).message).toMatch(/operationName/);
    expect((selectOperation(document, "C") as Error).message).toMatch(/No operation named "C"/);
    expect((selectOperation(document, "B") as OperationDefinitionNode).name?.value).toBe("B");
  });
});
