import type { LocalStripe } from "@pulse/stripe-local";
import { loadContractOperations } from "../lib/contract-operations.ts";
import { demoAccounts, demoCompetitions, demoMatch, demoPremium } from "./demo-data.ts";

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
 * Then Alice and Bob like each other (`Swipe`) and, once chat has opened their conversation,
 * exchange a few messages (`SendMessage`). Idempotent: an account that already exists answers
 * `CONFLICT`, which counts as done, and its profile is set again; likes and messages repeat
 * without storing anything new.
 *
 * @param graphqlUrl the gateway's `/graphql` endpoint.
 * @returns the outcome per email.
 * @throws when the gateway answers anything else.
 */
export async function seedDemoData(
  graphqlUrl: string,
  localStripe: LocalStripe | null = null,
): Promise<Map<string, SeedOutcome>> {
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
  const sessions = new Map<string, { token: string; userId: string }>();
  for (const account of demoAccounts) {
    const { email, password } = account;
    const registered = await send("Register", { input: { email, password } });
    const exists = registered.errors?.[0]?.extensions?.code === "CONFLICT";
    const session = exists
      ? succeed(`Signing in ${email}`, await send("Login", { input: { email, password } })).login
      : succeed(`Registering ${email}`, registered).register;
    outcomes.set(email, exists ? "exists" : "created");
    const { accessToken: token, user } = session as { accessToken: string; user: { id: string } };
    sessions.set(email, { token, userId: user.id });
    const profile = { displayName: account.name, ...account.profile };
    succeed(`Profile of ${email}`, await send("UpsertProfile", { input: profile }, token));
    succeed(
      `Location of ${email}`,
      await send("UpdateLocation", { input: account.location }, token),
    );
  }
  await seedMatch(send, succeed, sessions);
  if (localStripe) await seedPremium(send, succeed, sessions, localStripe);
  await seedCompetitions(send, succeed, sessions);
  return outcomes;
}

/**
 * Carol buys premium on the local Checkout page, the way a person would (`StartCheckout`, then
 * "Pay" on the hosted page), and Stripe renews it once, so she has a payment history. Billing
 * learns both from the webhooks alone. Seeding again finds her a member (CONFLICT) and stops.
 */
async function seedPremium(
  send: Send,
  succeed: Succeed,
  sessions: Map<string, { token: string; userId: string }>,
  localStripe: LocalStripe,
): Promise<void> {
  const { token } = sessions.get(demoPremium.member)!;
  const started = await send("StartCheckout", { planId: demoPremium.planId }, token);
  if (started.errors?.[0]?.extensions?.code === "CONFLICT") return;
  const { sessionId, url } = succeed("Carol's checkout", started).startCheckout as {
    sessionId: string;
    url: string;
  };
  const paid = await fetch(url, {
    method: "POST",
    body: new URLSearchParams({ outcome: "pay" }),
    redirect: "manual",
  });
  if (paid.status !== 303)
    throw new Error(`Carol's payment: the Checkout page answered ${paid.status}`);
  await eventually("Carol becoming premium", async () => {
    const me = succeed("MyBilling", await send("MyBilling", {}, token)).me as {
      isPremium: boolean;
    };
    if (!me.isPremium) throw new Error("not premium yet");
  });
  const subscriptionId = localStripe.sessions.get(sessionId)?.subscription;
  if (typeof subscriptionId === "string") localStripe.renew(subscriptionId, "paid");
}

type Send = (
  name: string,
  variables: Record<string, unknown>,
  token?: string,
) => Promise<GraphQLResponse>;
type Succeed = (what: string, response: GraphQLResponse) => Record<string, unknown>;

/** Makes the demo match and its conversation (see `demoMatch`). */
async function seedMatch(
  send: Send,
  succeed: Succeed,
  sessions: Map<string, { token: string; userId: string }>,
): Promise<void> {
  const sessionOf = (email: string) => {
    const session = sessions.get(email);
    if (!session) throw new Error(`${email} is not a demo account`);
    return session;
  };
  const [first, second] = demoMatch.between.map(sessionOf) as [
    { token: string; userId: string },
    { token: string; userId: string },
  ];
  for (const [from, to] of [
    [first, second],
    [second, first],
  ] as const) {
    const swipe = { input: { targetUserId: to.userId, action: "LIKE" } };
    // Discovery learns of new profiles from events: until then a like answers NOT_FOUND.
    await eventually("Liking a demo account", async () =>
      succeed("Liking", await send("Swipe", swipe, from.token)),
    );
  }
  // Chat opens the conversation when it consumes discovery's match.created.
  const conversationId = await eventually("Opening the demo conversation", async () => {
    const page = succeed("Conversations", await send("Conversations", { first: 1 }, first.token));
    const edges = (page.conversations as { edges: { node: { id: string } }[] }).edges;
    if (!edges[0]) throw new Error("not open yet");
    return edges[0].node.id;
  });
  for (const [index, { from, body }] of demoMatch.messages.entries()) {
    const input = { conversationId, body, clientMessageId: `demo-${index}` };
    succeed(`Message ${index}`, await send("SendMessage", { input }, sessionOf(from).token));
  }
}

/**
 * The demo competitions (see `demoCompetitions`): the active one, which every demo account joins
 * and syncs steps to, and an upcoming one with an entry fee. Idempotent: a competition found by
 * name is not created again, joining twice answers CONFLICT, and the synced records are the same
 * records each time.
 */
async function seedCompetitions(
  send: Send,
  succeed: Succeed,
  sessions: Map<string, { token: string; userId: string }>,
): Promise<void> {
  const [creator] = [...sessions.values()];
  if (!creator) return;
  const day = 24 * 60 * 60 * 1000;
  const today = new Date(new Date().toISOString().slice(0, 10)).getTime();
  const find = async (status: string, name: string) => {
    const data = succeed(
      "Competitions",
      await send("Competitions", { status, first: 100 }, creator.token),
    );
    const page = data.competitions as { edges: { node: { id: string; name: string } }[] };
    return page.edges.find((edge) => edge.node.name === name)?.node.id;
  };
  const create = async (input: Record<string, unknown>) => {
    const data = succeed(
      "Creating a demo competition",
      await send("CreateCompetition", { input }, creator.token),
    );
    return (data.createCompetition as { id: string }).id;
  };
  const { active, upcoming } = demoCompetitions;
  const activeId =
    (await find("ACTIVE", active.name)) ??
    (await create({
      name: active.name,
      description: active.description,
      metric: active.metric,
      startsAt: new Date(today - 2 * day).toISOString(),
      endsAt: new Date(today + 28 * day).toISOString(),
    }));
  for (const account of demoAccounts) {
    const { token } = sessions.get(account.email)!;
    const joined = await send("JoinCompetition", { competitionId: activeId }, token);
    if (joined.errors?.[0]?.extensions?.code !== "CONFLICT") succeed("Joining", joined);
    const endedAt = today - day + 12 * 60 * 60 * 1000;
    const record = {
      externalId: `demo-${account.name}`,
      metric: "STEPS",
      value: active.steps[account.name] ?? 5_000,
      startedAt: new Date(endedAt - 8 * 60 * 60 * 1000).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
    };
    succeed(
      "Syncing",
      await send("SyncActivity", { input: { source: "MANUAL", records: [record] } }, token),
    );
  }
  if (!(await find("UPCOMING", upcoming.name))) {
    await create({
      ...upcoming,
      startsAt: new Date(today + 7 * day).toISOString(),
      endsAt: new Date(today + 21 * day).toISOString(),
    });
  }
}

/** Retries `attempt` every 200 ms for up to 15 s; then throws its last error. */
async function eventually<Result>(what: string, attempt: () => Promise<Result>): Promise<Result> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
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
