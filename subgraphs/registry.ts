import { buildIdentitySchema } from "@pulse/identity";
import type { GraphQLSchema } from "graphql";

/** A subgraph as composition and the dev runner see it. */
export interface SubgraphEntry {
  /** Also its folder under `subgraphs/`, its Postgres schema and its consumer group. */
  name: string;
  /** Port it listens on by default; also the URL recorded in the committed supergraph. */
  defaultPort: number;
  buildSchema: () => Promise<GraphQLSchema>;
}

/** Every subgraph of the supergraph. Adding a subgraph means adding a line here. */
export const subgraphRegistry: SubgraphEntry[] = [
  { name: "identity", defaultPort: 4001, buildSchema: buildIdentitySchema },
];
