import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBillingHarness, type BillingHarness } from "../testing/billing-harness.ts";

let harness: BillingHarness;
beforeAll(async () => {
  harness = await startBillingHarness();
});
afterAll(() => harness?.close());

describe("reconciliation", () => {
  it("repairs an entry payment and a membership whose webhooks were all lost", async () => {
    const competitionId = randomUUID();
    await harness.deliver("competition.created", {
      competitionId,
      name: "Lost webhooks cup",
      entryFeeCents: 900,
      currency: "usd",
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const userId = randomUUID();
    // Paid at Stripe; no endpoint is registered, so billing hears nothing.
    const entry = await harness.checkout.payCompetitionEntry(userId, competitionId);
    harness.local.completeCheckout(entry.sessionId, "pay");
    const member = await harness.checkout.startCheckout(userId, "premium-yearly");
    harness.local.completeCheckout(member.sessionId, "pay");
    const subscriptionId = harness.local.sessions.get(member.sessionId)!.subscription as string;
    // A membership billing knew of, since canceled at Stripe without a webhook.
    const created = harness.local.events.find(
      (event) =>
        event.type === "customer.subscription.created" &&
        (event.data.object as { id: string }).id === subscriptionId,
    )!;
    await harness.webhook(created);
    harness.local.cancelSubscription(subscriptionId, false);

    const report = await harness.reconciler.run();
    expect(report).toMatchObject({ failures: 0 });
    const payment = await harness.prisma.payment.findFirstOrThrow({
      where: { stripeCheckoutSessionId: entry.sessionId },
    });
    expect(payment.status).toBe("SUCCEEDED");
    const paid = await harness.prisma.billingOutboxEvent.findMany({
      where: { type: "entry.paid", payload: { path: ["paymentId"], equals: payment.id } },
    });
    expect(paid).toHaveLength(1);
    expect(await harness.prisma.membership.findUnique({ where: { userId } })).toMatchObject({
      status: "CANCELED",
      isPremium: false,
    });
  });
});
