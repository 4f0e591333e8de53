import { readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from "graphql";
import { describe, expect, it } from "vitest";
import { composeSupergraph, readCommittedSchemas } from "../scripts/lib/compose-supergraph.ts";

describe("schema/", () => {
  it("is what `pnpm compose` generates from the subgraphs' code", async () => {
    const [fresh, committed] = await Promise.all([composeSupergraph(), readCommittedSchemas()]);
    expect(committed.apiSdl, "schema/schema.graphql is stale: run pnpm compose").toBe(fresh.apiSdl);
    expect(committed.supergraphSdl, "schema/supergraph.graphql is stale: run pnpm compose").toBe(
      fresh.supergraphSdl,
    );
  });

  it("describes every type, field, argument and enum value", () => {
    const schema = buildSchema(
      readFileSync(path.resolve(import.meta.dirname, "../schema/schema.graphql"), "utf8"),
    );
    expect(undescribed(schema)).toEqual([]);
  });
});

function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (name: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(name);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    const isRoot = [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ].includes(type as never);
    if (!isRoot) check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of "args" in field ? field.args : []) {
          check(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}
