import { readFile } from "node:fs/promises";
import path from "node:path";
import { composeServices } from "@apollo/composition";
import { printSubgraphSchema } from "@pulse/platform/subgraph";
import { parse, printSchema } from "graphql";
import { subgraphRegistry } from "../../subgraphs/registry.ts";

export const schemaDir = path.resolve(import.meta.dirname, "../../schema");
export const supergraphPath = path.join(schemaDir, "supergraph.graphql");
export const apiSchemaPath = path.join(schemaDir, "schema.graphql");

export interface ComposedSchemas {
  /** The supergraph the gateway plans with, subgraph URLs included. */
  supergraphSdl: string;
  /** The schema clients see: what codegen, Sandbox and the contract check read. */
  apiSdl: string;
}

/**
 * Builds every subgraph's schema from its code and composes them with Apollo's composition.
 *
 * @throws with every composition error when the subgraphs do not compose.
 */
export async function composeSupergraph(): Promise<ComposedSchemas> {
  const services = await Promise.all(
    subgraphRegistry.map(async ({ name, defaultPort, buildSchema }) => ({
      name,
      url: `http://localhost:${defaultPort}/graphql`,
      typeDefs: parse(printSubgraphSchema(await buildSchema())),
    })),
  );
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(
      `Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join("\n")}`,
    );
  }
  const api = result.schema.toAPISchema().toGraphQLJSSchema();
  return { supergraphSdl: result.supergraphSdl, apiSdl: `${printSchema(api)}\n` };
}

/** The committed schema files, for the staleness check. */
export async function readCommittedSchemas(): Promise<ComposedSchemas> {
  const [supergraphSdl, apiSdl] = await Promise.all([
    readFile(supergraphPath, "utf8"),
    readFile(apiSchemaPath, "utf8"),
  ]);
  return { supergraphSdl, apiSdl };
}
