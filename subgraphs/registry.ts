import { billingConfigSchema, buildBillingSchema, createBillingService } from "@pulse/billing";
import { buildChatSchema, chatConfigSchema, createChatService } from "@pulse/chat";
import {
  buildCompetitionsSchema,
  competitionsConfigSchema,
  createCompetitionsService,
} from "@pulse/competitions";
import {
  buildDiscoverySchema,
  createDiscoveryService,
  discoveryConfigSchema,
} from "@pulse/discovery";
import { buildIdentitySchema, createIdentityService, identityConfigSchema } from "@pulse/identity";
import type { ServiceOptions, SubgraphService } from "@pulse/platform/subgraph";
import { buildProfilesSchema, createProfilesService, profilesConfigSchema } from "@pulse/profiles";
import type { GraphQLSchema } from "graphql";

/** A subgraph as composition, the dev runner and the tests see it. */
export interface SubgraphEntry {
  /** Also its folder under `subgraphs/`, its Postgres schema and its consumer group. */
  name: string;
  /** Port it listens on by default; also the URL recorded in the committed supergraph. */
  defaultPort: number;
  buildSchema: () => Promise<GraphQLSchema>;
  /** Creates the service from environment variables, validated by its config schema. */
  createService: (
    env: Record<string, string | undefined>,
    options?: ServiceOptions,
  ) => Promise<SubgraphService>;
}

/** Every subgraph of the supergraph. Adding a subgraph means adding an entry here. */
export const subgraphRegistry: SubgraphEntry[] = [
  {
    name: "identity",
    defaultPort: 4001,
    buildSchema: buildIdentitySchema,
    createService: (env, options) =>
      createIdentityService(identityConfigSchema.parse(env), options),
  },
  {
    name: "profiles",
    defaultPort: 4002,
    buildSchema: buildProfilesSchema,
    createService: (env, options) =>
      createProfilesService(profilesConfigSchema.parse(env), options),
  },
  {
    name: "discovery",
    defaultPort: 4003,
    buildSchema: buildDiscoverySchema,
    createService: (env, options) =>
      createDiscoveryService(discoveryConfigSchema.parse(env), options),
  },
  {
    name: "chat",
    defaultPort: 4004,
    buildSchema: buildChatSchema,
    createService: (env, options) => createChatService(chatConfigSchema.parse(env), options),
  },
  {
    name: "competitions",
    defaultPort: 4005,
    buildSchema: buildCompetitionsSchema,
    createService: (env, options) =>
      createCompetitionsService(competitionsConfigSchema.parse(env), options),
  },
  {
    name: "billing",
    defaultPort: 4006,
    buildSchema: buildBillingSchema,
    createService: (env, options) => createBillingService(billingConfigSchema.parse(env), options),
  },
];
