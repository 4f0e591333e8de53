import { loadContractOperations } from "../lib/contract-operations.ts";
import { demoAccounts } from "./demo-data.ts";

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** What seeding did to one demo account. */
export type SeedOutcome = "created" | "exists";

/**
 * Registers every demo account by sending the contract's `Register` mutation to the gateway, the
 * way a client app does, so the data is exactly what the API would create. Idempotent: an
 * account that already exists answers `CONFLICT`, which counts as done.
 *
 * @param graphqlUrl the gateway's `/graphql` endpoint.
 * @returns the outcome per email.
 * @throws when the gateway answers anything other than success or `CONFLICT`.
 */
export async function seedDemoData(graphqlUrl: string): Promise<Map<string, SeedOutcome>> {
  const register = loadContractOperations().get("Register");
  if (!register) throw new Error("The contract has no Register operation to seed with");
  const outcomes = new Map<string, SeedOutcome>();
  for (const account of demoAccounts) {
    const { email, password } = account;
    const response = await postGraphQL(graphqlUrl, register, { input: { email, password } });
    const error = response.errors?.[0];
    if (!error && response.data?.register) outcomes.set(email, "created");
    else if (error?.extensions?.code === "CONFLICT") outcomes.set(email, "exists");
    else throw new Error(`Registering ${email} failed: ${error?.message ?? "no data in response"}`);
  }
  return outcomes;
}

async function postGraphQL(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  // GraphQL errors may come with a 4xx status (e.g. validation); the body still explains them.
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResponse;
  } catch {
    throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
  }
}
