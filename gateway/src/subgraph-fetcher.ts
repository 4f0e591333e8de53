import type { RemoteGraphQLDataSource } from "@apollo/gateway";
import { Agent, type Dispatcher } from "undici";
import type { IncomingHttpHeaders } from "node:http";

// The types RemoteGraphQLDataSource's `fetcher` option takes (@apollo/utils.fetcher), read off
// the class, since the gateway does not depend on that package itself.
type Fetcher = RemoteGraphQLDataSource["fetcher"];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse["headers"];

/** A fetch for subgraph requests, and the connections it keeps open. */
export interface SubgraphFetcher {
  fetch: Fetcher;
  /** Closes the kept-alive connections once requests in flight have finished. */
  close(): Promise<void>;
}

/**
 * A fetcher on undici's `request` API over one keep-alive `Agent` (a connection pool per origin).
 * Node's global fetch is the same undici underneath, but its WHATWG machinery (Request, Headers,
 * AbortSignal, web streams) costs several times the CPU per subgraph request.
 *
 * It differs from fetch where the gateway does not care: it neither follows redirects nor asks
 * for compressed responses (it sends no Accept-Encoding), and it resolves once the whole body
 * has arrived, so a response whose body is never read cannot hold a connection.
 */
export function createSubgraphFetcher(options: Agent.Options = {}): SubgraphFetcher {
  const agent = new Agent(options);
  return {
    fetch: async (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> => {
      const target = new URL(url);
      // Apollo's type leaves the signal `any`; like fetch, we take an AbortSignal.
      const signal = init.signal as AbortSignal | undefined;
      let response: Dispatcher.ResponseData;
      let body: Uint8Array;
      try {
        response = await agent.request({
          origin: target.origin,
          path: target.pathname + target.search,
          method: (init.method ?? "GET").toUpperCase(),
          // RemoteGraphQLDataSource passes a plain record (Object.fromEntries of its Headers).
          headers: init.headers,
          body: init.body,
          signal,
        });
        body = await response.body.bytes();
      } catch (error) {
        // Like fetch: an abort rejects with the signal's reason, anything else as a TypeError.
        if (signal?.aborted) throw signal.reason ?? error;
        throw new TypeError("fetch failed", { cause: error });
      }
      return new SubgraphResponse(
        target.href,
        response.statusCode,
        response.statusText,
        ResponseHeaders.from(response.headers),
        body,
      );
    },
    close: () => agent.close(),
  };
}

const utf8 = new TextDecoder();

/** A fetch Response over a body already read in full. */
class SubgraphResponse implements FetcherResponse {
  readonly redirected = false;
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: ResponseHeaders,
    private readonly body: Uint8Array,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.consume();
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    // TextDecoder, as fetch does: UTF-8, a byte order mark dropped, bad bytes replaced.
    return utf8.decode(this.consume());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  clone(): SubgraphResponse {
    if (this.used) throw new TypeError("Response.clone: Body has already been consumed.");
    return new SubgraphResponse(
      this.url,
      this.status,
      this.statusText,
      this.headers.clone(),
      this.body,
    );
  }

  /** Like fetch, a body is read once. */
  private consume(): Uint8Array {
    if (this.used) throw new TypeError("Body is unusable: Body has already been read");
    this.used = true;
    return this.body;
  }
}

/** Response headers by lower-case name, repeated ones joined with ", " as fetch's Headers does. */
class ResponseHeaders implements FetcherHeaders {
  private constructor(private readonly map: Map<string, string>) {}

  static from(headers: IncomingHttpHeaders): ResponseHeaders {
    const map = new Map<string, string>();
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) map.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    return new ResponseHeaders(map);
  }

  clone(): ResponseHeaders {
    return new ResponseHeaders(new Map(this.map));
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), value);
  }

  append(name: string, value: string): void {
    const existing = this.get(name);
    this.set(name, existing === null ? value : `${existing}, ${value}`);
  }

  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }

  forEach(callback: (value: string, name: string, headers: ResponseHeaders) => void): void {
    for (const [name, value] of this.map) callback(value, name, this);
  }

  entries(): MapIterator<[string, string]> {
    return this.map.entries();
  }

  keys(): MapIterator<string> {
    return this.map.keys();
  }

  values(): MapIterator<string> {
    return this.map.values();
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.map.entries();
  }
}
