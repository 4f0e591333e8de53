import { randomInt } from "node:crypto";
import type { GraphQLFormattedError } from "graphql";
import { loadContractOperations } from "../../scripts/lib/contract-operations.ts";

const operations = loadContractOperations();

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: GraphQLFormattedError[];
  headers: Headers;
}

/** A random client address, so each client has its own per-address rate limits. */
function randomAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/**
 * Sends GraphQL over HTTP to the gateway, by contract operation name (the exact text the apps
 * send) or as an ad-hoc document.
 */
export class ApiClient {
  readonly address = randomAddress();

  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  /** A client for the same endpoint and address with another access token. */
  withToken(token: string | undefined): ApiClient {
    const client = new ApiClient(this.url, token);
    (client as { address: string }).address = this.address;
    return client;
  }

  /** Runs the contract operation `name`. */
  op<Data = Record<string, any>>(
    name: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>> {
    const query = operations.get(name);
    if (!query) throw new Error(`no contract operation named ${name}`);
    return this.request<Data>({ query, variables, operationName: name }, headers);
  }

  /** Runs an arbitrary document. */
  query<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>> {
    return this.request<Data>({ query, variables }, headers);
  }

  private async request<Data>(
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<Data>> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-for": this.address,
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { data?: Data; errors?: GraphQLFormattedError[] };
    return { status: response.status, headers: response.headers, ...json };
  }
}
