import { buildOperationContext } from "@apollo/gateway";
import { operationFromDocument, Supergraph, type Schema } from "@apollo/federation-internals";
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from "@apollo/query-planner";
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { badUserInput, boundedMemo, ErrorCode } from "@pulse/platform/server";
import { limitRules, OPERATION_LIMITS, selectOperation } from "../limits/operation-limits.ts";

/** The service name under which a subscription event's primary data enters its plan. */
export const EVENT_SOURCE = "__subscription_event__";

/** How one subscription operation runs against one supergraph. */
export interface SubscriptionPlan {
  /** The root-field fetch that streams events from the subgraph owning the field. */
  primary: FetchNode;
  /**
   * The plan run for each event: the primary fetch answered from the event itself
   * ({@link EVENT_SOURCE}), then the `rest` fetches for fields other subgraphs own.
   */
  eventPlan: QueryPlan;
  operationContext: ReturnType<typeof buildOperationContext>;
  /** The client's operation, validated, for graphql-ws to tell its kind. */
  document: DocumentNode;
}

const PLAN_CACHE_SIZE = 500;

/** GraphQL's rules and the operation limits HTTP requests pass too. */
const VALIDATION_RULES = [...specifiedRules, ...limitRules(OPERATION_LIMITS)];

/**
 * One supergraph as subscriptions see it: its API schema to validate against, its query planner,
 * and a cache of plans by operation text (every subscriber of one screen shares a plan).
 */
export class SupergraphPlans {
  readonly apiSchema: GraphQLSchema;
  readonly apiSchemaDefinition: Schema;
  readonly supergraphSchema: GraphQLSchema;
  /** The URL of each subgraph, by name. */
  readonly subgraphUrls: ReadonlyMap<string, string>;
  private readonly planner: QueryPlanner;
  /** Plans by operation name and text. */
  private readonly plans = boundedMemo(PLAN_CACHE_SIZE, (key: string) => {
    const newline = key.indexOf("\n");
    return this.build(key.slice(newline + 1), key.slice(0, newline) || undefined);
  });

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchemaDefinition = supergraph.apiSchema();
    this.apiSchema = this.apiSchemaDefinition.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
    this.subgraphUrls = new Map(
      supergraph.subgraphsMetadata().map(({ name, url }) => [name, url] as const),
    );
  }

  /**
   * The plan of a subscription operation, or the errors that make it unusable here (syntax,
   * validation against the API schema, not a subscription).
   */
  plan(
    query: string,
    operationName: string | undefined,
  ): SubscriptionPlan | readonly GraphQLError[] {
    return this.plans(`${operationName ?? ""}\n${query}`);
  }

  private build(
    query: string,
    operationName: string | undefined,
  ): SubscriptionPlan | readonly GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: OPERATION_LIMITS.maxTokens });
    } catch (error) {
      return [asBadInput(error as GraphQLError)];
    }
    const errors = validate(this.apiSchema, document, VALIDATION_RULES);
    if (errors.length > 0) return errors.map(asBadInput);
    const selected = selectOperation(document, operationName);
    if (selected instanceof GraphQLError) return [selected];
    const operationContext = buildOperationContext({
      schema: this.apiSchema,
      operationDocument: document,
      ...(operationName ? { operationName } : {}),
    });
    if (!isSubscription(operationContext.operation)) {
      return [
        badUserInput(
          "operation",
          "Send queries and mutations over HTTP; this socket is for subscriptions",
        ),
      ];
    }
    const operation = operationFromDocument(this.apiSchemaDefinition, document, {
      ...(operationName ? { operationName } : {}),
    });
    const plan = this.planner.buildQueryPlan(operation);
    if (plan.node?.kind !== "Subscription") {
      return [new GraphQLError("The supergraph cannot plan this subscription")];
    }
    const { primary, rest } = plan.node;
    const eventFetch: FetchNode = { ...primary, serviceName: EVENT_SOURCE };
    const node: PlanNode = rest ? { kind: "Sequence", nodes: [eventFetch, rest] } : eventFetch;
    return { primary, eventPlan: { kind: "QueryPlan", node }, operationContext, document };
  }
}

/** A syntax, validation or variable error, with the contract's code for a malformed request. */
export function asBadInput(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    extensions: { code: ErrorCode.BAD_USER_INPUT },
  });
}

function isSubscription(operation: OperationDefinitionNode): boolean {
  return operation.operation === "subscription";
}

/** Whether two primary fetches are the same upstream subscription (a reload may keep it). */
export function samePrimary(a: FetchNode, b: FetchNode): boolean {
  return (
    a.serviceName === b.serviceName &&
    a.operation === b.operation &&
    (a.variableUsages ?? []).join() === (b.variableUsages ?? []).join()
  );
}
