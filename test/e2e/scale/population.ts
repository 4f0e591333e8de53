import { randomBytes, randomUUID } from "node:crypto";
import type { SessionTokens } from "@pulse/client";
import type { GraphQLResponse } from "@pulse/testkit/api-client";
import { RetryingClient } from "./retrying-client.ts";

// The people of the scenario, made through the API as apps make them. This module runs in
// vitest and in the benchmark alike, so it waits with its own loop rather than vitest's.

const PASSWORD = "Str0ng!Passw0rd";
/** How long the set-up waits for something asynchronous (discovery's read model, a conversation). */
const SETUP_TIMEOUT_MS = 60_000;
const HOUR = 3_600_000;

export interface Person {
  id: string;
  email: string;
  password: string;
  tokens: SessionTokens;
  client: RetryingClient;
}

export interface ChatPair {
  alice: Person;
  bob: Person;
  conversationId: string;
  /** The cursor of the conversation's first message, after which Alice subscribes. */
  firstMessageCursor: string;
}

/** `response`'s data, or throws with its errors: the set-up must not fail. */
export function dataOf<Data>(response: GraphQLResponse<Data>, what: string): Data {
  if (response.errors?.length || !response.data) {
    throw new Error(`${what} failed: ${JSON.stringify(response.errors ?? response.status)}`);
  }
  return response.data;
}

/** Runs `attempt` until it returns a value, failing after {@link SETUP_TIMEOUT_MS}. */
async function until<Value>(what: string, attempt: () => Promise<Value | undefined>) {
  const deadline = performance.now() + SETUP_TIMEOUT_MS;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Builds the scenario's people against the API at `graphqlUrl`. */
export class Population {
  constructor(
    private readonly graphqlUrl: string,
    /** Where every client records its transport retries. */
    readonly retries: number[],
  ) {}

  client(token?: string): RetryingClient {
    return new RetryingClient(this.graphqlUrl, token, this.retries);
  }

  /** Registers someone with a profile (no location: they appear in nobody's discovery). */
  async person(gender: "FEMALE" | "MALE"): Promise<Person> {
    const email = `scale-${randomBytes(5).toString("hex")}@example.test`;
    const session = dataOf(
      await this.client().op("Register", { input: { email, password: PASSWORD } }),
      "Register",
    ).register;
    const client = this.client(session.accessToken);
    const other = gender === "FEMALE" ? "MALE" : "FEMALE";
    const input = {
      displayName: `Scale ${gender.toLowerCase()}`,
      username: `scale_${randomBytes(5).toString("hex")}`,
      birthdate: "1996-01-01",
      gender,
      interestedIn: [other],
      bio: null,
    };
    dataOf(await client.op("UpsertProfile", { input }), "UpsertProfile");
    return {
      id: session.user.id,
      email,
      password: PASSWORD,
      tokens: { accessToken: session.accessToken, refreshToken: session.refreshToken },
      client,
    };
  }

  /**
   * `from` likes `to`, once discovery's read model knows `to` (until then: NOT_FOUND). Returns
   * the match it made, if it did.
   */
  async like(from: Person, to: Person): Promise<string | null> {
    return until("a like", async () => {
      const response = await from.client.op("Swipe", {
        input: { targetUserId: to.id, action: "LIKE" },
      });
      if (response.errors?.[0]?.extensions?.code === "NOT_FOUND") return undefined;
      const swipe = dataOf(response, "Swipe").swipe as { match: { id: string } | null };
      return swipe.match?.id ?? null;
    });
  }

  /** `person`'s newest match: its id, cursor and conversation, once chat has opened it. */
  async newestMatch(person: Person) {
    return until("a match's conversation", async () => {
      const page = dataOf(await person.client.op("Matches", { first: 1 }), "Matches").matches;
      const node = page.edges[0]?.node as { id: string; conversation: { id: string } | null };
      if (!node?.conversation) return undefined;
      return {
        id: node.id,
        cursor: page.edges[0].cursor as string,
        conversationId: node.conversation.id,
      };
    });
  }

  /** A matched pair whose conversation holds one message from Bob. */
  async chatPair(): Promise<ChatPair> {
    const [alice, bob] = await Promise.all([this.person("FEMALE"), this.person("MALE")]);
    await this.like(alice, bob);
    await this.like(bob, alice);
    const { conversationId } = await this.newestMatch(alice);
    const input = { conversationId, body: "hello", clientMessageId: randomUUID() };
    dataOf(await bob.client.op("SendMessage", { input }), "SendMessage");
    const page = dataOf(
      await alice.client.op("ConversationMessages", { id: conversationId, first: 1 }),
      "ConversationMessages",
    );
    const firstMessageCursor = page.conversation.messages.edges[0].cursor as string;
    return { alice, bob, conversationId, firstMessageCursor };
  }

  /** A competition on steps that started an hour ago, which every one of `people` joined. */
  async competition(people: Person[]): Promise<Competition> {
    const startsAt = Date.now() - HOUR;
    const created = dataOf(
      await people[0]!.client.op("CreateCompetition", {
        input: {
          name: `Scale ${randomBytes(3).toString("hex")}`,
          metric: "STEPS",
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
        },
      }),
      "CreateCompetition",
    ).createCompetition as { id: string };
    for (const person of people) {
      dataOf(await person.client.op("JoinCompetition", { competitionId: created.id }), "Join");
    }
    // 30 minutes within it, in the past: up to 7,500 steps are plausible.
    const recordStart = startsAt + 10 * 60_000;
    return {
      id: created.id,
      recordWindow: {
        startedAt: new Date(recordStart).toISOString(),
        endedAt: new Date(recordStart + 30 * 60_000).toISOString(),
      },
    };
  }
}

export interface Competition {
  id: string;
  /** When every record synced for it starts and ends. */
  recordWindow: { startedAt: string; endedAt: string };
}

/**
 * A person's one activity record, synced again and again with another value: each sync
 * replaces it, so their score is the last value, and a retried sync is a duplicate.
 */
export function syncRecord(
  person: Person,
  competition: Competition,
  externalId: string,
  steps: number,
) {
  return person.client.op("SyncActivity", {
    input: {
      source: "MANUAL",
      records: [{ externalId, metric: "STEPS", value: steps, ...competition.recordWindow }],
    },
  });
}
