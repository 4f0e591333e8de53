import type { GraphQLDataSource } from "@apollo/gateway";
import { LRUCache } from "lru-cache";

type SubgraphRequest = Parameters<GraphQLDataSource["process"]>[0]["request"];
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource["process"]>>;

/** How long a query whose answer was private is sent without waiting for others' answers. */
const PRIVATE_QUERY_MEMORY_MS = 60_000;

export interface SharedFetchesOptions {
  /** Public answers kept at most, least recently used dropped first. */
  maxAnswers: number;
  /** Called for every fetch of subgraph `subgraph`: sent, or answered by a shared one. */
  onFetch?: (subgraph: string, outcome: "sent" | "shared") => void;
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
 */
export class SharedFetches {
  private readonly answers: LRUCache<string, SubgraphResponse>;
  private readonly inFlight = new Map<string, Promise<SubgraphResponse | undefined>>();
  /** Queries (subgraph and text) whose last answer was private: their requests do not wait. */
  private readonly privateQueries: LRUCache<string, true>;

  constructor(private readonly options: SharedFetchesOptions) {
    this.answers = new LRUCache({ max: options.maxAnswers });
    this.privateQueries = new LRUCache({ max: options.maxAnswers, ttl: PRIVATE_QUERY_MEMORY_MS });
  }

  /** `source`, answering from shared public answers where it can. */
  wrap(subgraph: string, source: GraphQLDataSource): GraphQLDataSource {
    return {
      process: (options) => this.fetch(subgraph, options.request, () => source.process(options)),
    };
  }

  private async fetch(
    subgraph: string,
    request: SubgraphRequest,
    send: () => Promise<SubgraphResponse>,
  ): Promise<SubgraphResponse> {
    const query = `${subgraph}\n${request.query ?? ""}`;
    const key = `${query}\n${JSON.stringify(request.variables ?? {})}`;
    const kept = this.answers.get(key);
    if (kept) return this.shared(subgraph, kept);
    if (this.privateQueries.has(query)) return this.sent(subgraph, send);
    const pending = this.inFlight.get(key);
    if (pending) {
      const answer = await pending;
      return answer ? this.shared(subgraph, answer) : this.sent(subgraph, send);
    }
    const sending = this.sent(subgraph, send);
    const sharing = sending
      .then((response) => {
        const seconds = publicMaxAge(response);
        if (seconds === 0) {
          // Errors say nothing of the query; an error-free private answer does.
          if (!response.errors?.length) this.privateQueries.set(query, true);
          return undefined;
        }
        // A copy: the executor merges into the answer it gets, so nobody gets the kept one.
        const answer = copyOf(response);
        this.answers.set(key, answer, { ttl: seconds * 1000 });
        return answer;
      })
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, sharing);
    return sending;
  }

  private shared(subgraph: string, answer: SubgraphResponse): SubgraphResponse {
    this.options.onFetch?.(subgraph, "shared");
    return copyOf(answer);
  }

  private sent(subgraph: string, send: () => Promise<SubgraphResponse>): Promise<SubgraphResponse> {
    this.options.onFetch?.(subgraph, "sent");
    return send();
  }
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

function copyOf(response: SubgraphResponse): SubgraphResponse {
  const { http: _http, ...answer } = response;
  return structuredClone(answer);
}
