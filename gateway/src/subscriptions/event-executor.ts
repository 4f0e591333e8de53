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
  /** Set when a fetch's answer was only for this subscriber: the result is theirs alone. */
  sawPrivateAnswer?: boolean;
}

/** An event's result, and whether it is the same for every subscriber of the event. */
interface Outcome {
  result: ExecutionResult;
  forEveryone: boolean;
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
 *
 * The subscribers of one upstream stream (`SharedUpstreams`) get the same event: when every
 * answer its plan fetched was public, its result is the same for all of them too, and the plan
 * runs once for the event, not once per subscriber.
 */
export class EventExecutor {
  private readonly serviceMaps = new WeakMap<SupergraphPlans, ServiceMap>();
  /** Each event's outcomes by plan and variables, while its subscribers are resolving it. */
  private readonly outcomes = new WeakMap<
    ExecutionResult,
    Map<SubscriptionPlan, Map<string, Promise<Outcome>>>
  >();

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
    let byPlan = this.outcomes.get(event);
    if (!byPlan) this.outcomes.set(event, (byPlan = new Map()));
    let byVariables = byPlan.get(plan);
    if (!byVariables) byPlan.set(plan, (byVariables = new Map()));
    const key = JSON.stringify(variables);
    const earlier = byVariables.get(key);
    if (earlier) {
      const outcome = await earlier;
      if (outcome.forEveryone) return outcome.result;
      return (await this.execute(plans, plan, event, subscriber, variables)).result;
    }
    const running = this.execute(plans, plan, event, subscriber, variables);
    byVariables.set(key, running);
    return (await running).result;
  }

  private async execute(
    plans: SupergraphPlans,
    plan: SubscriptionPlan,
    event: ExecutionResult,
    subscriber: GatewayContext,
    variables: Record<string, unknown>,
  ): Promise<Outcome> {
    const primaryErrors = (event.errors ?? []).map(fromFormatted);
    if (!event.data) return { result: { errors: primaryErrors }, forEveryone: true };
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
    return {
      result: errors.length > 0 ? { data: result.data, errors } : { data: result.data },
      forEveryone: !context.sawPrivateAnswer && !result.errors?.length,
    };
  }

  private services(plans: SupergraphPlans): ServiceMap {
    let services = this.serviceMaps.get(plans);
    if (!services) {
      services = { [EVENT_SOURCE]: eventSource as GraphQLDataSource };
      for (const [name, url] of plans.subgraphUrls) {
        const source = this.sharedFetches.wrap(name, this.buildService(name, url));
        services[name] = {
          process: async (options) => {
            const response = await source.process(options);
            if (!this.sharedFetches.isForEveryone(response)) {
              (options.context as EventContext).sawPrivateAnswer = true;
            }
            return response;
          },
        };
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
