import "reflect-metadata";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLSchemaModule } from "@apollo/subgraph/dist/schema-helper";
import { printSchemaWithDirectives, type IResolvers } from "@graphql-tools/utils";
import { isObjectType, type GraphQLSchema } from "graphql";
import gql from "graphql-tag";
import { buildSchema, createResolversMap, type BuildSchemaOptions } from "type-graphql";
import { DateTimeScalar } from "./scalars.ts";

/** The federation version every subgraph links, and the directives it imports. */
const FEDERATION_LINK = `extend schema @link(
  url: "https://specs.apollo.dev/federation/v2.7"
  import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@interfaceObject"]
)`;

/**
 * type-graphql requires a pubSub as soon as a subscription exists, even when every subscription
 * brings its own `subscribe`. Ours subscribe through the request context's LivePubSub, so that
 * building a schema opens no connection; this one only satisfies the check and is never used.
 */
const subscribeThroughContext: NonNullable<BuildSchemaOptions["pubSub"]> = {
  publish: () => {
    throw new Error("Publish live notifications through LivePubSub");
  },
  subscribe: () => {
    throw new Error("Subscriptions subscribe through the context's LivePubSub");
  },
};

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, "skipCheck"> {
  /** `__resolveReference` (and any other hand-written) resolvers, keyed by type name. */
  referenceResolvers?: IResolvers;
}

/**
 * Builds a federation 2 subgraph schema from type-graphql resolvers: the one place where the
 * `@link` and `buildSubgraphSchema` glue lives, so no subgraph writes its own.
 */
export async function buildFederatedSchema({
  referenceResolvers = {},
  ...options
}: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    pubSub: subscribeThroughContext,
    ...options,
    skipCheck: true,
  });
  const resolvers = mergeResolvers(createResolversMap(schema) as IResolvers, referenceResolvers);
  const subgraph = buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(schema)}
    `,
    resolvers: resolvers as GraphQLSchemaModule["resolvers"],
  });
  carryFieldExtensions(schema, subgraph);
  return subgraph;
}

/**
 * Copies the fields' extensions (`@Extensions`, such as `PerViewer`), which SDL does not carry,
 * from the schema type-graphql built onto the one rebuilt from its SDL.
 */
function carryFieldExtensions(from: GraphQLSchema, to: GraphQLSchema): void {
  for (const type of Object.values(from.getTypeMap())) {
    const target = to.getType(type.name);
    if (!isObjectType(type) || !isObjectType(target)) continue;
    const fields = target.getFields();
    for (const [name, field] of Object.entries(type.getFields())) {
      const copy = fields[name];
      if (!copy || Object.keys(field.extensions).length === 0) continue;
      copy.extensions = { ...copy.extensions, ...field.extensions };
    }
  }
}

function mergeResolvers(base: IResolvers, extra: IResolvers): IResolvers {
  const merged: IResolvers = { ...base };
  for (const [typeName, fields] of Object.entries(extra)) {
    merged[typeName] = { ...(base[typeName] as object), ...(fields as object) };
  }
  return merged;
}

/** The SDL a subgraph contributes to composition (federation directives included). */
export { printSubgraphSchema } from "@apollo/subgraph";
