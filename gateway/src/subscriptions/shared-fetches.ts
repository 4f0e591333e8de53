import type { GraphQLDataSource } from "@apollo/gateway";
import { LRUCache } from "lru-cache";
import type { Registry } from "prom-client";
import rfdc from "rfdc";
import { countBySubgraphAndOutcome } from "../subgraph-outcomes.ts";

type SubgraphRequest = Parameters<GraphQLDataSource["process"]>[0]["request"];
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource["process"]>>;

/** How long a query whose answer was private is sent without waiting for others' answers. */
const PRIVATE_QUERY_MEMORY_MS = 60_000;

/** Expired answers are dropped at most this often, when an answer is kept. */
const PURGE_INTERVAL_MS = 1_000;

/**
 * The largest answer kept, so that `maxAnswers` bounds memory too. An event's entity fetch is a
 * card or two (about 1 KB); a query's page of fifty cards is not worth keeping for events.
 */
export const MAX_SHARED_ANSWER_BYTES = 16 * 1024;

export interface SharedFetchesOptions {
  /** Public answers kept at most, least recently used dropped first. */
  maxAnswers: number;
  /** Called for every fetch of subgraph `subgraph`: sent, or answered by a shared one. */
  onFetch?: (subgraph: string, outcome: "sent" | "shared") => void;
  /** The clock max-ages are measured on, in milliseconds. @default performance */
  clock?: { now(): number };
}

/**
 * Entity fetches the subscribers of an event share. Each subscriber's `rest` plan runs with its
 * own identity, so the N subscribers of an event that embeds one person would ask profiles the
 * same question N times. An answer the subgraph marked `Cache-Control: public, max-age=N` (Apollo
 * Server's, computed from the cache hints of every field it resolved) is the same for every
 * viewer: it answers the same request (subgraph, query, variables) from anyone for N seconds, and
 * requests made while it is in flight wait for it. Private, uncacheable and failed answers serve
 * only whoever asked; those waiting then send their own, and the query's requests stop waiting
 * for a while.
 *
 * Queries and mutations offer their public answers too ({@link offering}), so the events of a
 * message sent through the gateway find the sender's card its `sendMessage` is fetching. They
 * never take one: a person reads back their own change at once. Requests are the same whatever
 * the operation is named (the planner names each fetch after its operation).
 */
export class SharedFetches {
  private readonly answers: LRUCache<string, SubgraphResponse>;
  private readonly inFlight = new Map<string, Promise<SubgraphResponse | undefined>>();
  /** Queries (subgraph and text) whose last answer was private: their requests do not wait. */
  private readonly privateQueries: LRUCache<string, true>;
  private lastPurge = 0;
  private readonly clock: { now(): number };
  /** The copies of kept answers handed out: public by construction. */
  private readonly handedOut = new WeakSet<SubgraphResponse>();

  constructor(private readonly options: SharedFetchesOptions) {
    this.clock = options.clock ?? performance;
    // lru-cache reuses a reading of the clock for a millisecond of real time; a given clock is
    // not real time, so it is read on every check.
    const timing = { perf: this.clock, ttlResolution: options.clock ? 0 : 1 };
    this.answers = new LRUCache({ max: options.maxAnswers, ...timing });
    this.privateQueries = new LRUCache({
      max: options.maxAnswers,
      ttl: PRIVATE_QUERY_MEMORY_MS,
      ...timing,
    });
  }

  /** Public answers held now, expired ones included until the next purge. */
  get kept(): number {
    return this.answers.size;
  }

  /** Whether `response`, which this gave for an event's fetch, is the same for every viewer. */
  isForEveryone(response: SubgraphResponse): boolean {
    return this.handedOut.has(response) || publicMaxAge(response) > 0;
  }

  /** `source` for events' plans: answered from shared public answers where it can. */
  wrap(subgraph: string, source: GraphQLDataSource): GraphQLDataSource {
    return {
      process: (options) => this.fetch(subgraph, options.request, () => source.process(options)),
    };
  }

  /** `source` for queries and mutations: always sent, its public answers offered to events. */
  offering(subgraph: string, source: GraphQLDataSource): GraphQLDataSource {
    return {
      process: (options) => {
        const sending = source.process(options);
        const query = queryKey(subgraph, options.request);
        // Most queries' answers are private: they cost no more than a lookup.
        if (this.privateQueries.has(query)) return sending;
        const key = requestKey(query, options.request);
        const sharing = this.keep(query, key, sending);
        if (!this.inFlight.has(key)) this.track(key, sharing);
        return sending;
      },
    };
  }

  private async fetch(
    subgraph: string,
    request: SubgraphRequest,
    send: () => Promise<SubgraphResponse>,
  ): Promise<SubgraphResponse> {
    const query = queryKey(subgraph, request);
    const key = requestKey(query, request);
    const kept = this.answers.get(key);
    if (kept) return this.shared(subgraph, kept);
    if (this.privateQueries.has(query)) return this.sent(subgraph, send);
    const pending = this.inFlight.get(key);
    if (pending) {
      const answer = await pending;
      return answer ? this.shared(subgraph, answer) : this.sent(subgraph, send);
    }
    const sending = this.sent(subgraph, send);
    this.track(key, this.keep(query, key, sending));
    return sending;
  }

  /** Keeps `sending`'s answer if public; resolves to the kept copy, or undefined if not kept. */
  private keep(
    query: string,
    key: string,
    sending: Promise<SubgraphResponse>,
  ): Promise<SubgraphResponse | undefined> {
    return sending
      .then((response) => {
        const seconds = publicMaxAge(response);
        if (seconds === 0) {
          // Errors say nothing of the query; an error-free private answer does.
          if (!response.errors?.length) this.privateQueries.set(query, true);
          return undefined;
        }
        if (sizeOf(response) > MAX_SHARED_ANSWER_BYTES) return undefined;
        // A copy: the executor merges into the answer it gets, so nobody gets the kept one.
        const answer = copyOf(response);
        this.purgeExpired();
        this.answers.set(key, answer, { ttl: seconds * 1000 });
        return answer;
      })
      .catch(() => undefined);
  }

  /**
   * An LRU keeps an expired answer until it is asked for again or pushed out by size: each lived
   * on through `maxAnswers` later ones, long enough to be promoted to V8's old generation, which
   * only a major collection empties. Dropped within a second of expiring, most die young.
   */
  private purgeExpired(): void {
    const now = this.clock.now();
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    this.answers.purgeStale();
  }

  /** Lets requests for `key` wait for `sharing` until it settles. */
  private track(key: string, sharing: Promise<SubgraphResponse | undefined>): void {
    this.inFlight.set(key, sharing);
    void sharing.finally(() => {
      if (this.inFlight.get(key) === sharing) this.inFlight.delete(key);
    });
  }

  private shared(subgraph: string, answer: SubgraphResponse): SubgraphResponse {
    this.options.onFetch?.(subgraph, "shared");
    const copy = copyOf(answer);
    this.handedOut.add(copy);
    return copy;
  }

  private sent(subgraph: string, send: () => Promise<SubgraphResponse>): Promise<SubgraphResponse> {
    this.options.onFetch?.(subgraph, "sent");
    return send();
  }
}

/** Counts, in `registry`, every fetch of events' plans by subgraph and outcome. */
export function countEntityFetches(registry: Registry): SharedFetchesOptions["onFetch"] {
  return countBySubgraphAndOutcome(
    registry,
    "gateway_subscription_entity_fetches_total",
    "Subgraph fetches of subscription events' plans: sent, or answered by a shared public answer",
  );
}

/** The query of `request` to `subgraph`: its text without the operation's name. */
function queryKey(subgraph: string, request: SubgraphRequest): string {
  const { query: text = "", operationName } = request;
  const named = operationName ? `query ${operationName}` : undefined;
  const unnamed = named && text.startsWith(named) ? `query${text.slice(named.length)}` : text;
  return `${subgraph}\n${unnamed}`;
}

/** The request: its query (from {@link queryKey}) and variables. */
function requestKey(query: string, request: SubgraphRequest): string {
  return `${query}\n${JSON.stringify(request.variables ?? {})}`;
}

/** How long `response` may be shared, in seconds: 0 unless public, cacheable and error-free. */
export function publicMaxAge(response: SubgraphResponse): number {
  if (response.errors?.length) return 0;
  const header = response.http?.headers.get("cache-control");
  if (!header) return 0;
  const directives = header
    .toLowerCase()
    .split(",")
    .map((part) => part.trim());
  if (!directives.includes("public")) return 0;
  const maxAge = directives.find((part) => part.startsWith("max-age="));
  const seconds = Number(maxAge?.slice("max-age=".length));
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}

/** The answer's size in bytes: its Content-Length, else that of its JSON. */
function sizeOf(response: SubgraphResponse): number {
  const length = Number(response.http?.headers.get("content-length") ?? Number.NaN);
  if (Number.isInteger(length)) return length;
  return Buffer.byteLength(JSON.stringify({ data: response.data, errors: response.errors }));
}

/**
 * A copy of an answer without its HTTP response. Answers are parsed JSON: rfdc copies those about
 * seven times faster than structuredClone (0.45 against 3.1 µs for a card, measured alone).
 */
const deepCopy = rfdc();

function copyOf(response: SubgraphResponse): SubgraphResponse {
  const { http: _http, ...answer } = response;
  return deepCopy(answer);
}
