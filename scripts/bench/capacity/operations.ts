// The contract's hot operations as the apps send them, each with whom it is sent as and its
// variables. Every request goes through the gateway with the sender's access token.
import { randomUUID } from "node:crypto";
import { ApiClient } from "../../../testkit/src/api-client.ts";
import { benchEmail, type Conversation } from "../subscriptions/seed.ts";
import { PASSWORD, type Population } from "./population.ts";

export interface OperationDriver {
  /** The contract operation's name. */
  name: string;
  /** Sends request `index` (0, 1, ...) and resolves to its response's data; throws on errors. */
  send(index: number): Promise<unknown>;
}

/** Sends `name` through the gateway at `url` as `token`; the data, or throws the first error. */
async function call(
  url: string,
  token: string | undefined,
  name: string,
  variables?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await new ApiClient(url, token).op(name, variables);
  if (response.errors?.length || !response.data) {
    throw new Error(`${name}: ${JSON.stringify(response.errors ?? response.status)}`);
  }
  return response.data;
}

const at = <Item>(items: Item[], index: number): Item => items[index % items.length]!;

/**
 * The operations in the order they run: SendMessage before the reads of conversations (so they
 * have messages), Login before RefreshSession (which rotates the sessions Login opened). The
 * conversations are `unwatched`, whose people hold no socket.
 */
export function hotOperations(
  url: string,
  population: Population,
  unwatched: Conversation[],
): OperationDriver[] {
  const { chatters, searchers, swipeTargets, athletes, competitionId } = population;
  const conversations = unwatched;
  const refreshTokens: string[] = [];
  let activity = 0;
  const operation = (name: string, send: (index: number) => Promise<unknown>): OperationDriver => ({
    name,
    send,
  });
  return [
    operation("Login", async (index) => {
      const data = await call(url, undefined, "Login", {
        input: { email: benchEmail(index % chatters.length), password: PASSWORD },
      });
      refreshTokens.push((data.login as { refreshToken: string }).refreshToken);
    }),
    operation("RefreshSession", async (index) => {
      const slot = index % refreshTokens.length;
      const data = await call(url, undefined, "RefreshSession", {
        refreshToken: refreshTokens[slot],
      });
      refreshTokens[slot] = (data.refreshSession as { refreshToken: string }).refreshToken;
    }),
    operation("Viewer", (index) => call(url, at(chatters, index).token, "Viewer")),
    operation("MyProfile", (index) => call(url, at(chatters, index).token, "MyProfile")),
    operation("Discover", (index) =>
      call(url, at(searchers, index).token, "Discover", { first: 20 }),
    ),
    operation("Swipe", (index) => {
      // Mostly passes, a third likes (free members have 100 likes a day), each on someone new.
      const searcher = index % searchers.length;
      const target = at(swipeTargets[searcher]!, Math.floor(index / searchers.length));
      return call(url, searchers[searcher]!.token, "Swipe", {
        input: { targetUserId: target, action: index % 3 === 0 ? "LIKE" : "PASS" },
      });
    }),
    operation("SendMessage", (index) => sendMessage(url, population, unwatched, index)),
    operation("Conversations", (index) => {
      const conversation = at(conversations, index);
      const person = conversation.people[index % 2 === 0 ? 0 : 1];
      return call(url, chatters[person]!.token, "Conversations", {
        first: 20,
      });
    }),
    operation("ConversationMessages", (index) => {
      const conversation = at(conversations, index);
      return call(url, chatters[conversation.people[0]]!.token, "ConversationMessages", {
        id: conversation.id,
        first: 30,
      });
    }),
    operation("SyncActivity", (index) => {
      const endedAt = Date.now() - 1_000;
      return call(url, at(athletes, index).token, "SyncActivity", {
        input: {
          source: "APPLE_HEALTH",
          records: [
            {
              externalId: `capacity-${++activity}`,
              metric: "STEPS",
              value: 100 + (index % 50) * 20,
              startedAt: new Date(endedAt - 600_000).toISOString(),
              endedAt: new Date(endedAt).toISOString(),
            },
          ],
        },
      });
    }),
    operation("Leaderboard", (index) =>
      call(url, at(athletes, index).token, "Leaderboard", { competitionId, first: 20 }),
    ),
    operation("Plans", () => call(url, undefined, "Plans")),
  ];
}

/** Message `index` in `conversations`: they take turns, and within each its two people. */
export function sendMessage(
  url: string,
  population: Population,
  conversations: Conversation[],
  index: number,
): Promise<unknown> {
  const { chatters } = population;
  const conversation = at(conversations, index);
  const sender = conversation.people[Math.floor(index / conversations.length) % 2]!;
  return call(url, chatters[sender]!.token, "SendMessage", {
    input: { conversationId: conversation.id, body: "capacity", clientMessageId: randomUUID() },
  });
}
