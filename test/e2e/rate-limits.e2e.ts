import { randomUUID } from "node:crypto";
import type { ApiClient, GraphQLResponse } from "@pulse/testkit/api-client";
import { matchedPair, registerUser, registerWithProfile } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Each limit at 2 per hour, so the third attempt is refused. */
const TWO_AN_HOUR = (names: string[]) => names.map((name) => `${name}=2/3600`).join(",");

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(
    {},
    {
      identity: {
        RATE_LIMITS: TWO_AN_HOUR([
          "register:address",
          "password-reset:address",
          "reset-password:address",
          "verify-email:address",
        ]),
      },
      profiles: { RATE_LIMITS: TWO_AN_HOUR(["search-users:person", "photo-upload:person"]) },
      chat: { RATE_LIMITS: TWO_AN_HOUR(["send-message:person", "send-message:conversation"]) },
      discovery: { RATE_LIMITS: TWO_AN_HOUR(["swipe:person"]) },
    },
  );
});
afterAll(() => stack?.close());

/** The codes of a response's errors, and the retry hint of a RATE_LIMITED one. */
function outcome(response: GraphQLResponse) {
  const error = response.errors?.[0];
  return {
    code: error?.extensions?.code ?? "OK",
    ...(error?.extensions?.code === "RATE_LIMITED"
      ? { retryAfterSeconds: error.extensions.retryAfterSeconds }
      : {}),
  };
}

/** Runs `attempt` three times in a row: the third is over a limit of two. */
async function thirdIsRefused(attempt: (index: number) => Promise<GraphQLResponse>) {
  const outcomes = [];
  for (let index = 0; index < 3; index += 1) outcomes.push(outcome(await attempt(index)));
  expect(outcomes.slice(0, 2).map((o) => o.code)).not.toContain("RATE_LIMITED");
  expect(outcomes[2]).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
  expect(outcomes[2]!.retryAfterSeconds).toBeGreaterThan(3_500);
}

const password = "Pulse!2026x";

describe("rate limits answer RATE_LIMITED with retryAfterSeconds", () => {
  it("register, per client address", async () => {
    const client = stack.client();
    await thirdIsRefused(() =>
      client.op("Register", { input: { email: `${randomUUID()}@pulse.dev`, password } }),
    );
  });

  it("requestPasswordReset, per client address, counting each aliased root field", async () => {
    const client = stack.client();
    const response = await client.query(
      `mutation { a: requestPasswordReset(email: "a@pulse.dev") b: requestPasswordReset(email: "b@pulse.dev") c: requestPasswordReset(email: "c@pulse.dev") }`,
    );
    expect(response.data).toEqual(null);
    expect(response.errors?.map((error) => error.extensions?.code)).toContain("RATE_LIMITED");
  });

  it("resetPassword and verifyEmail token guesses, per client address", async () => {
    const client = stack.client();
    await thirdIsRefused(() =>
      client.op("ResetPassword", { input: { token: randomUUID(), newPassword: password } }),
    );
    await thirdIsRefused(() => client.op("VerifyEmail", { token: randomUUID() }));
  });

  it("searchUsers and requestPhotoUpload, per person", async () => {
    const person = await registerWithProfile(stack);
    await thirdIsRefused(() => person.client.op("SearchUsers", { query: "a" }));
    await thirdIsRefused(() =>
      person.client.op("RequestPhotoUpload", {
        input: { contentType: "image/png", byteSize: 1000 },
      }),
    );
  });

  it("sendMessage, per person and per conversation", async () => {
    const { alice, bob, conversationId } = await matchedPair(stack);
    const send = (client: ApiClient) =>
      client.op("SendMessage", {
        input: { conversationId, body: "hi", clientMessageId: randomUUID() },
      });
    await send(alice.client);
    await send(bob.client);
    // The conversation has had its two; Alice's third would be within her own two.
    expect(outcome(await send(alice.client)).code).toBe("RATE_LIMITED");
  });

  it("swipe bursts, per person", async () => {
    const swiper = await registerWithProfile(stack);
    const targets = await Promise.all([1, 2, 3].map(() => registerUser(stack)));
    await thirdIsRefused((index) =>
      swiper.client.op("Swipe", { input: { targetUserId: targets[index]!.id, action: "PASS" } }),
    );
  });
});
