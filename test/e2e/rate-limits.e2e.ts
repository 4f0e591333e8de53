import { randomUUID } from "node:crypto";
import type { ApiClient, GraphQLResponse } from "@pulse/testkit/api-client";
import {
  matchedPair,
  PASSWORD,
  registerUser,
  registerWithProfile,
  uniqueEmail,
} from "@pulse/testkit/fixtures";
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
          "verification-mail:email",
          "password-reset:email",
        ]),
      },
      profiles: { RATE_LIMITS: TWO_AN_HOUR(["search-users:person", "photo-upload:person"]) },
      // A conversation takes three, so a person's third message meets their own limit first.
      chat: { RATE_LIMITS: "send-message:person=2/3600,send-message:conversation=3/3600" },
      discovery: { RATE_LIMITS: TWO_AN_HOUR(["swipe:person"]) },
      competitions: { RATE_LIMITS: TWO_AN_HOUR(["sync-activity:person"]) },
      billing: {
        RATE_LIMITS: TWO_AN_HOUR(["start-checkout:person", "pay-competition-entry:person"]),
      },
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

  it("sendMessage, per person", async () => {
    const { alice, conversationId } = await matchedPair(stack);
    await thirdIsRefused(() =>
      alice.client.op("SendMessage", {
        input: { conversationId, body: "hi", clientMessageId: randomUUID() },
      }),
    );
  });

  it("sendMessage, per conversation, from both people", async () => {
    const { alice, bob, conversationId } = await matchedPair(stack);
    const send = (client: ApiClient) =>
      client.op("SendMessage", {
        input: { conversationId, body: "hi", clientMessageId: randomUUID() },
      });
    const codes = [];
    for (const client of [alice.client, alice.client, bob.client, bob.client]) {
      codes.push(outcome(await send(client)).code);
    }
    // Bob's second is within his own two, but the conversation's fourth.
    expect(codes).toEqual(["OK", "OK", "OK", "RATE_LIMITED"]);
  });

  it("swipe bursts, per person", async () => {
    const swiper = await registerWithProfile(stack);
    const targets = await Promise.all([1, 2, 3].map(() => registerUser(stack)));
    await thirdIsRefused((index) =>
      swiper.client.op("Swipe", { input: { targetUserId: targets[index]!.id, action: "PASS" } }),
    );
  });

  it("verification mail, per target email: sign-up, delete, sign-up again", async () => {
    const email = uniqueEmail();
    await thirdIsRefused(async () => {
      const response = await stack
        .client()
        .op("Register", { input: { email, password: PASSWORD } });
      const token = response.data?.register?.accessToken as string | undefined;
      if (token) await stack.client(token).op("DeleteAccount", { password: PASSWORD });
      return response;
    });
    expect(await stack.prisma.mailMessage.count({ where: { recipient: email } })).toBe(2);
  });

  it("password-reset mail, per target email: answers true and mails no more", async () => {
    const person = await registerUser(stack);
    const answers = [];
    // A client each, so the per-address limit stays out of the way.
    for (let index = 0; index < 3; index += 1) {
      answers.push((await stack.client().op("RequestPasswordReset", { email: person.email })).data);
    }
    expect(answers).toEqual(Array(3).fill({ requestPasswordReset: true }));
    const resetMails = await stack.prisma.mailMessage.count({
      where: { recipient: person.email, subject: { contains: "Reset your password" } },
    });
    expect(resetMails).toBe(2);
  });

  it("syncActivity, per person", async () => {
    const person = await registerWithProfile(stack);
    await thirdIsRefused(() =>
      person.client.op("SyncActivity", { input: { source: "GOOGLE_FIT", records: [] } }),
    );
  });

  it("startCheckout and payCompetitionEntry, per person", async () => {
    const person = await registerWithProfile(stack);
    const plans = await person.client.op("Plans");
    const planId = plans.data!.plans[0].id as string;
    await thirdIsRefused(() => person.client.op("StartCheckout", { planId }));
    await thirdIsRefused(() =>
      person.client.op("PayCompetitionEntry", { competitionId: randomUUID() }),
    );
  });
});
