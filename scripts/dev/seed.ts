import { loadContractOperations } from "../lib/contract-operations.ts";
import { demoAccounts } from "./demo-data.ts";

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** What seeding did to one demo account. */
export type SeedOutcome = "created" | "exists";

/**
 * Registers every demo account and gives it a profile and a location by sending the contract's
 * operations to the gateway (`Register`, or `Login` when the account exists; `UpsertProfile`,
 * `UpdateLocation`), the way a client app does, so the data is exactly what the API would create.
 * Idempotent: an account that already exists answers `CONFLICT`, which counts as done, and its
 * profile is set again.
 *
 * @param graphqlUrl the gateway's `/graphql` endpoint.
 * @returns the outcome per email.
 * @throws when the gateway answers anything else.
 */
export async function seedDemoData(graphqlUrl: string): Promise<Map<string, SeedOutcome>> {
  const operations = loadContractOperations();
  const send = async (name: string, variables: Record<string, unknown>, token?: string) => {
    const operation = operations.get(name);
    if (!operation) throw new Error(`The contract has no ${name} operation to seed with`);
    return postGraphQL(graphqlUrl, operation, variables, token);
  };
  const succeed = (what: string, response: GraphQLResponse) => {
    const error = response.errors?.[0];
    if (error || !response.data) throw new Error(`${what} failed: ${error?.message ?? "no data"}`);
    return response.data;
  };
  const outcomes = new Map<string, SeedOutcome>();
  for (const account of demoAccounts) {
    const { email, password } = account;
    const registered = await send("Register", { input: { email, password } });
    const exists = registered.errors?.[0]?.extensions?.code === "CONFLICT";
    const session = exists
      ? succeed(`Signing in ${email}`, await send("Login", { input: { email, password } })).login
      : succeed(`Registering ${email}`, registered).register;
    outcomes.set(email, exists ? "exists" : "created");
    const token = (session as { accessToken: string }).accessToken;
    const profile = { displayName: account.name, ...account.profile };
    succeed(`Profile of ${email}`, await send("UpsertProfile", { input: profile }, token));
    succeed(
      `Location of ${email}`,
      await send("UpdateLocation", { input: account.location }, token),
    );
  }
  return outcomes;
}

async function postGraphQL(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
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
