import { randomUUID } from "node:crypto";
import { eventually } from "@pulse/testkit/eventually";
import { registerWithProfile, type PersonWithProfile } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Competitions and billing together, through the gateway and the real event bus: nothing in
// this file publishes an event itself.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const HOUR = 60 * 60 * 1000;

/** A competition with a 5 usd entry fee, created through the API; resolves once billing knows it. */
async function feeCompetition(creator: PersonWithProfile, maxParticipants?: number) {
  const response = await creator.client.op("CreateCompetition", {
    input: {
      name: `Paid steps ${randomUUID().slice(0, 6)}`,
      metric: "STEPS",
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
      entryFeeCents: 500,
      currency: "usd",
      ...(maxParticipants ? { maxParticipants } : {}),
    },
  });
  expect(response.errors).toBeUndefined();
  const id = response.data!.createCompetition.id as string;
  await eventually(async () =>
    expect(await stack.prisma.billingCompetition.findUnique({ where: { id } })).not.toBeNull(),
  );
  return id;
}

/** Pays a competition's entry on the hosted Checkout page, as a person's browser would. */
async function payEntry(person: PersonWithProfile, competitionId: string) {
  const started = await person.client.op("PayCompetitionEntry", { competitionId });
  expect(started.errors).toBeUndefined();
  const page = await fetch(started.data!.payCompetitionEntry.url, {
    method: "POST",
    body: new URLSearchParams({ outcome: "pay" }),
    redirect: "manual",
  });
  await page.arrayBuffer();
}

const isJoined = async (person: PersonWithProfile, competitionId: string) => {
  const response = await person.client.op("Competitions", { first: 100 });
  const edge = response.data!.competitions.edges.find(
    (candidate: { node: { id: string } }) => candidate.node.id === competitionId,
  );
  return edge?.node.isJoined as boolean | undefined;
};

const paymentStatuses = async (person: PersonWithProfile) =>
  (await person.client.op("MyBilling")).data!.me.payments.map(
    (payment: { status: string }) => payment.status,
  );

describe("a competition's entry fee, end to end", () => {
  it("is PAYMENT_REQUIRED, then paid through Stripe Checkout, and the person is in", async () => {
    const [creator, runner] = await Promise.all([
      registerWithProfile(stack),
      registerWithProfile(stack),
    ]);
    const competitionId = await feeCompetition(creator);
    const join = await runner.client.op("JoinCompetition", { competitionId });
    expect(join.errors?.[0]?.extensions?.code).toBe("PAYMENT_REQUIRED");

    await payEntry(runner, competitionId);
    await eventually(async () => expect(await isJoined(runner, competitionId)).toBe(true));
    expect(await paymentStatuses(runner)).toEqual(["SUCCEEDED"]);
  });

  it("is refunded when the competition filled up while the person paid", async () => {
    const [creator, first, second, late] = await Promise.all([
      registerWithProfile(stack),
      registerWithProfile(stack),
      registerWithProfile(stack),
      registerWithProfile(stack),
    ]);
    const competitionId = await feeCompetition(creator, 2);
    // Everyone starts paying while places are free; the first two payments take them.
    const lateCheckout = await late.client.op("PayCompetitionEntry", { competitionId });
    expect(lateCheckout.errors).toBeUndefined();
    await payEntry(first, competitionId);
    await payEntry(second, competitionId);
    await eventually(async () => {
      expect(await isJoined(first, competitionId)).toBe(true);
      expect(await isJoined(second, competitionId)).toBe(true);
    });

    const page = await fetch(lateCheckout.data!.payCompetitionEntry.url, {
      method: "POST",
      body: new URLSearchParams({ outcome: "pay" }),
      redirect: "manual",
    });
    await page.arrayBuffer();
    await eventually(async () => expect(await paymentStatuses(late)).toEqual(["REFUNDED"]));
    expect(await isJoined(late, competitionId)).toBe(false);
  });
});
