import type { FormattedExecutionResult } from "graphql";
import { PulseTransportError } from "./errors.ts";

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
}

/**
 * POSTs one GraphQL request, with `accessToken` as a bearer token when given. Resolves to the
 * response's result, errors included (the API answers bad input with 400 and a GraphQL body);
 * rejects with PulseTransportError when the body is no GraphQL response.
 */
export async function postGraphQL<Result>(
  fetcher: typeof fetch,
  url: string,
  request: GraphQLRequest,
  accessToken: string | undefined,
): Promise<FormattedExecutionResult<Result>> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
  };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const response = await fetcher(url, { method: "POST", headers, body: JSON.stringify(request) });
  const body: unknown = await response.json().catch(() => undefined);
  if (!body || typeof body !== "object" || !("data" in body || "errors" in body)) {
    throw new PulseTransportError(
      `Not a GraphQL response (HTTP ${response.status})`,
      response.status,
    );
  }
  return body as FormattedExecutionResult<Result>;
}
