import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from "@apollo/gateway";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { ExecutionResult } from "graphql-ws";
import type { Logger } from "@pulse/platform/server";
import type { GatewayContext } from "../context.ts";
import type { SharedFetches } from "./shared-fetches.ts";
import { EVENT_SOURCE, type SupergraphPlans, type SubscriptionPlan } from "./supergraph-plans.ts";

/** Builds the data source that fetches from subgraph `name` at `url`. */
export type SubgraphServiceFactory = (
  name: string,
  url: string,
) => GraphQLDataSource<GatewayContext>;

/** A subscriber's context while one of its events runs: the event enters as the primary's data. */
interface EventContext extends GatewayContext {
  eventData: Record<string, unknown>;
}

/** Answers a plan's primary fetch with the event the subgraph streamed. */
const eventSource: GraphQLDataSource<EventContext> = {
  process: async ({ context }) => ({ data: context.eventData }),
};

/**
 * Runs the `rest` of a subscription plan for each event, through @apollo/gateway's own executor
 * and with the subscriber's signed identity: fields other subgraphs own (a sender's profile) are
 * fetched per event, exactly as they would be for a query, except that an answer its subgraph
 * declared public is shared between subscribers ({@link SharedFetches}). A failing fetch leaves
 * its fields null with an error beside the data; the stream goes on.
 */
export class EventExecutor {
  private readonly serviceMaps = new WeakMap<SupergraphPlans, ServiceMap>();

  constructor(
    private readonly buildService: SubgraphServiceFactory,
    private readonly sharedFetches: SharedFetches,
    private readonly logger: Logger,
  ) {}

  async run(
    plans: SupergraphPlans,
    plan: SubscriptionPlan,
    event: ExecutionResult,
    subscriber: GatewayContext,
    variables: Record<string, unknown>,
  ): Promise<ExecutionResult> {
    const primaryErrors = (event.errors ?? []).map(fromFormatted);
    if (!event.data) return { errors: primaryErrors };
    const context: EventContext = { ...subscriber, eventData: event.data };
    const requestContext = {
      request: { variables },
      context,
      logger: this.logger,
      metrics: {},
    } as unknown as Parameters<typeof executeQueryPlan>[2];
    const result = await executeQueryPlan(
      plan.eventPlan,
      this.services(plans),
      requestContext,
      plan.operationContext,
      plans.supergraphSchema,
      plans.apiSchemaDefinition,
    );
    const errors = [...primaryErrors, ...(result.errors ?? [])];
    return errors.length > 0 ? { data: result.data, errors } : { data: result.data };
  }

  private services(plans: SupergraphPlans): ServiceMap {
    let services = this.serviceMaps.get(plans);
    if (!services) {
      services = { [EVENT_SOURCE]: eventSource as GraphQLDataSource };
      for (const [name, url] of plans.subgraphUrls) {
        services[name] = this.sharedFetches.wrap(name, this.buildService(name, url));
      }
      this.serviceMaps.set(plans, services);
    }
    return services;
  }
}

/** An error a subgraph sent over graphql-ws, back as a GraphQLError for formatting. */
function fromFormatted(error: GraphQLFormattedError | GraphQLError): GraphQLError {
  if (error instanceof GraphQLError) return error;
  return new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
}
