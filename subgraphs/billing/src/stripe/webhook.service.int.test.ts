import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBillingHarness, type BillingHarness } from "../testing/billing-harness.ts";

let harness: BillingHarness;
beforeAll(async () => {
  harness = await startBillingHarness();
});
afterAll(() => harness?.close());

/** A new person with a paid monthly subscription at the local Stripe, its events not yet applied. */
async function subscribed() {
  const userId = randomUUID();
  const first = harness.local.events.length;
  const { sessionId } = await harness.checkout.startCheckout(userId, "premium-monthly");
  harness.local.completeCheckout(sessionId, "pay");
  const subscriptionId = harness.local.sessions.get(sessionId)!.subscription as string;
  return { userId, subscriptionId, events: harness.local.events.slice(first) };
}

const membership = (userId: string) => harness.prisma.membership.findUnique({ where: { userId } });

describe("Stripe webhooks", () => {
  it("applies each event once, recording its id with its effect", async () => {
    const { userId, events } = await subscribed();
    for (const event of events) expect((await harness.webhook(event)).status).toBe(200);
    const applied = await membership(userId);
    expect(applied).toMatchObject({ status: "ACTIVE", isPremium: true, planId: "premium-monthly" });
    for (const event of events) {
      expect(await harness.webhook(event)).toEqual({
        status: 200,
        body: { received: true, applied: false },
      });
    }
    expect((await membership(userId))!.version).toBe(applied!.version);
    const ids = events.map((event) => event.id);
    expect(await harness.prisma.stripeEvent.count({ where: { id: { in: ids } } })).toBe(ids.length);
  });

  it("takes state from Stripe's current object, not the event's copy", async () => {
    const { userId, subscriptionId, events } = await subscribed();
    harness.local.cancelSubscription(subscriptionId, false);
    // Only the (stale) creation event arrives: it still says "active", Stripe says "canceled".
    const created = events.find((event) => event.type === "customer.subscription.created")!;
    await harness.webhook(created);
    expect(await membership(userId)).toMatchObject({ status: "CANCELED", isPremium: false });
  });

  it("refuses a wrong secret with 400 and stores nothing", async () => {
    const { events } = await subscribed();
    const answer = await harness.webhook(events[0]!, "whsec_not_ours");
    expect(answer.status).toBe(400);
    expect(
      await harness.prisma.stripeEvent.findUnique({ where: { id: events[0]!.id } }),
    ).toBeNull();
  });
});

describe("competition.created", () => {
  it("keeps the fee competitions set, which payCompetitionEntry charges", async () => {
    const competitionId = randomUUID();
    await harness.deliver("competition.created", {
      competitionId,
      name: "Spring steps",
      entryFeeCents: 1250,
      currency: "EUR",
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const { sessionId } = await harness.checkout.payCompetitionEntry(randomUUID(), competitionId);
    expect(harness.local.sessions.get(sessionId)).toMatchObject({
      mode: "payment",
      amount_total: 1250,
      currency: "eur",
    });
    await expect(
      harness.checkout.payCompetitionEntry(randomUUID(), randomUUID()),
    ).rejects.toMatchObject({
      extensions: { code: "NOT_FOUND" },
    });
  });
});
