import { ApiClient, type GraphQLResponse } from "@pulse/testkit/api-client";
import type { Client } from "../faults/load.ts";

/** How often a request whose connection failed is sent again, and after how long. */
const TRANSPORT_RETRIES = 2;
const TRANSPORT_RETRY_WAIT_MS = 100;

/**
 * A client as a careful app is one behind a load balancer: a request whose connection was
 * refused or dropped before any answer (its gateway was killed) is sent again, which reaches
 * another gateway. Every operation the scenario sends may be: queries, `sendMessage` and
 * `syncActivity` with their idempotency keys, a repeated swipe, a login. Each retry is recorded.
 */
export class RetryingClient implements Client {
  private readonly api: ApiClient;

  constructor(
    url: string,
    token: string | undefined,
    private readonly retries: number[],
  ) {
    this.api = new ApiClient(url, token);
  }

  async op<Data = Record<string, any>>(
    name: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<Data>> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.api.op<Data>(name, variables);
      } catch (error) {
        if (attempt >= TRANSPORT_RETRIES || !isConnectionFailure(error)) throw error;
        this.retries.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, TRANSPORT_RETRY_WAIT_MS));
      }
    }
  }
}

/**
 * fetch's TypeErrors for a connection that failed: "fetch failed" before an answer came,
 * "terminated" while its body was arriving.
 */
function isConnectionFailure(error: unknown): boolean {
  return error instanceof TypeError && ["fetch failed", "terminated"].includes(error.message);
}
