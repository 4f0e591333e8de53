import type { GraphQLDataSource } from "@apollo/gateway";
import { LRUCache } from "lru-cache";
import type { Registry } from "prom-client";
import type { GatewayContext } from "./context.ts";
import { countBySubgraphAndOutcome } from "./subgraph-outcomes.ts";

type ProcessOptions = Parameters<GraphQLDataSource<GatewayContext>["process"]>[0];
type IncomingOptions = Extract<ProcessOptions, { incomingRequestContext: unknown }>;
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource["process"]>>;

/** Executions in a row whose fetch was the viewer's entity before that fetch is prefetched. */
export const PREFETCH_AFTER = 3;
/** Fetches remembered per operation, so an operation with huge plans cannot grow the memory. */
const FETCHES_PER_OPERATION = 16;

export interface ViewerPrefetchOptions {
  /** Operations whose fetches are remembered, least recently used dropped first. */
  maxOperations: number;
  /** Called for every prefetch: sent with the operation's first fetch, then used or not. */
  onPrefetch?: (subgraph: string, outcome: "sent" | "used" | "unused") => void;
}

/** An entity fetch of an operation, keyed by the viewer's own entity in its recent executions. */
interface ViewerFetch {
  subgraph: string;
  query: string;
  operationName: string | undefined;
  typename: string;
  /** Executions in a row where it was. */
  streak: number;
}

/** What the gateway learned of one operation's plan. */
interface OperationFetches {
  /** Subgraphs its root fetches go to: where a mutation writes. */
  roots: Set<string>;
  /** By subgraph and query. */
  entityFetches: Map<string, ViewerFetch>;
}

/** One request's prefetches, by subgraph and query, until its plan asks for them. */
type RequestPrefetches = Map<string, { fetch: ViewerFetch; response: Promise<SubgraphResponse> }>;

/**
 * Sends an operation's entity fetch of the viewer's own entity together with its first fetch,
 * instead of after it. In `SendMessage` the sender is always the viewer: chat answers with the
 * sender's key, and only then would profiles be asked for the sender's card, one hop after the
 * other. The gateway cannot know from the plan that a key is the viewer's, so it learns it: a
 * fetch whose only variable was the viewer's own representation in {@link PREFETCH_AFTER}
 * executions in a row is prefetched from then on, and the plan's fetch takes the prefetched
 * answer when it asks for exactly that representation. When it asks for another one (or none),
 * the prediction starts over and the plan's fetch is sent as usual.
 *
 * The prefetch runs with the request's identity, so it gets the answer the plan's fetch would
 * get, a few milliseconds earlier. For mutations, nothing is prefetched from a subgraph that the
 * operation's root fields write to: another subgraph's data is not changed by the mutation
 * (subgraphs learn of each other's changes from domain events, after the commit), so reading it
 * while the mutation runs reads what reading it after would. A prefetch the plan never asks for
 * (its operation failed first) costs one wasted fetch, at most one per learned fetch and request.
 */
export class ViewerPrefetch {
  private readonly sources = new Map<string, GraphQLDataSource<GatewayContext>>();
  private readonly operations: LRUCache<string, OperationFetches>;
  private readonly requests = new WeakMap<object, RequestPrefetches>();

  constructor(private readonly options: ViewerPrefetchOptions) {
    this.operations = new LRUCache({ max: options.maxOperations });
  }

  /** `source` for subgraph `subgraph`, prefetching for and from the operations it serves. */
  wrap(
    subgraph: string,
    source: GraphQLDataSource<GatewayContext>,
  ): GraphQLDataSource<GatewayContext> {
    this.sources.set(subgraph, source);
    return { process: (options) => this.process(subgraph, source, options) };
  }

  private process(
    subgraph: string,
    source: GraphQLDataSource<GatewayContext>,
    options: ProcessOptions,
  ): Promise<SubgraphResponse> {
    if (!("incomingRequestContext" in options)) return source.process(options);
    const viewerId = options.context?.viewer?.id;
    if (!viewerId) return source.process(options);
    const operation = this.operation(options);
    const fetchKey = `${subgraph}\n${options.request.query}`;
    const typename = viewerTypename(options.request.variables, viewerId);
    const prefetches =
      this.requests.get(options.incomingRequestContext) ??
      this.startRequest(operation, options, viewerId);
    this.learn(operation, subgraph, fetchKey, options, typename);
    const prefetched = prefetches.get(fetchKey);
    if (!prefetched) return source.process(options);
    prefetches.delete(fetchKey);
    if (typename !== prefetched.fetch.typename) {
      this.options.onPrefetch?.(subgraph, "unused");
      return source.process(options);
    }
    this.options.onPrefetch?.(subgraph, "used");
    // A prefetch that failed to be sent is sent again, as if there had been none.
    return prefetched.response.catch(() => source.process(options));
  }

  private operation(options: IncomingOptions): OperationFetches {
    const { queryHash, source, operationName } = options.incomingRequestContext;
    const key = `${operationName ?? ""}\n${queryHash ?? source ?? ""}`;
    let operation = this.operations.get(key);
    if (!operation) {
      operation = { roots: new Set(), entityFetches: new Map() };
      this.operations.set(key, operation);
    }
    return operation;
  }

  /** A request's first fetch: its prefetches, started once that fetch is on its way. */
  private startRequest(
    operation: OperationFetches,
    options: IncomingOptions,
    viewerId: string,
  ): RequestPrefetches {
    const prefetches: RequestPrefetches = new Map();
    this.requests.set(options.incomingRequestContext, prefetches);
    // After the first fetch (and any other sent in this turn): the prefetch is needed only when
    // that fetch has answered, and must not delay it.
    setImmediate(() => this.prefetch(operation, options, viewerId, prefetches));
    return prefetches;
  }

  /** Starts the learned fetches of the viewer's entity, for the plan to take later. */
  private prefetch(
    operation: OperationFetches,
    options: IncomingOptions,
    viewerId: string,
    prefetches: RequestPrefetches,
  ): void {
    const mutation = options.incomingRequestContext.operation?.operation === "mutation";
    // The first fetch's own document and path are not the prefetch's.
    const { document: _document, pathInIncomingRequest: _path, ...sameRequest } = options;
    for (const [key, fetch] of operation.entityFetches) {
      if (fetch.streak < PREFETCH_AFTER) continue;
      if (mutation && operation.roots.has(fetch.subgraph)) continue;
      const source = this.sources.get(fetch.subgraph);
      if (!source) continue;
      const response = source.process({
        ...sameRequest,
        request: {
          query: fetch.query,
          ...(fetch.operationName ? { operationName: fetch.operationName } : {}),
          variables: { representations: [{ __typename: fetch.typename, id: viewerId }] },
        },
      });
      // Nobody may ask for it; whoever does gets the rejection (and sends again).
      response.catch(() => undefined);
      prefetches.set(key, { fetch, response });
      this.options.onPrefetch?.(fetch.subgraph, "sent");
    }
  }

  /** Counts a fetch of the viewer's entity towards its prediction; any other fetch resets it. */
  private learn(
    operation: OperationFetches,
    subgraph: string,
    fetchKey: string,
    options: IncomingOptions,
    typename: string | undefined,
  ): void {
    if (!options.request.variables?.representations) operation.roots.add(subgraph);
    const known = operation.entityFetches.get(fetchKey);
    if (!typename) {
      if (known) known.streak = 0;
      return;
    }
    if (known) {
      known.streak = known.typename === typename ? Math.min(known.streak + 1, PREFETCH_AFTER) : 0;
      known.typename = typename;
    } else if (operation.entityFetches.size < FETCHES_PER_OPERATION) {
      operation.entityFetches.set(fetchKey, {
        subgraph,
        query: options.request.query ?? "",
        operationName: options.request.operationName,
        typename,
        streak: 1,
      });
    }
  }
}

/**
 * The type of the entity a fetch asks for when its only variable is one representation, of the
 * viewer (`{ __typename, id: viewerId }` and nothing else); undefined for any other fetch.
 */
function viewerTypename(
  variables: Record<string, unknown> | undefined,
  viewerId: string,
): string | undefined {
  if (!variables) return undefined;
  const names = Object.keys(variables);
  const representations = variables.representations;
  if (names.length !== 1 || !Array.isArray(representations) || representations.length !== 1) {
    return undefined;
  }
  const representation = representations[0] as Record<string, unknown> | null;
  if (!representation || typeof representation !== "object") return undefined;
  const { __typename: typename, id, ...rest } = representation;
  if (typeof typename !== "string" || id !== viewerId || Object.keys(rest).length > 0) {
    return undefined;
  }
  return typename;
}

/** Counts, in `registry`, every prefetch by subgraph and outcome. */
export function countPrefetches(registry: Registry): ViewerPrefetchOptions["onPrefetch"] {
  return countBySubgraphAndOutcome(
    registry,
    "gateway_viewer_prefetches_total",
    "Entity fetches of the viewer's own entity sent with an operation's first fetch, and whether its plan used them",
  );
}
