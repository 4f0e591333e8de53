import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import { publishEvent } from "@pulse/testkit/events";
import { discoverablePair, registerUser, type RegisteredUser } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

function errorOf(response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) {
  expect(response.errors, "expected an error").toHaveLength(1);
  return response.errors![0]!.extensions!;
}

/** Chooses an outcome on the hosted Checkout page, as a person's browser would. */
async function onCheckoutPage(url: string, outcome: "pay" | "decline" | "cancel") {
  const response = await fetch(url, {
    method: "POST",
    body: new URLSearchParams({ outcome }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  return response;
}

async function myBilling(user: RegisteredUser) {
  const response = await user.client.op("MyBilling");
  expect(response.errors).toBeUndefined();
  return response.data!.me;
}

/** A new person who bought `planId` on the hosted Checkout page; resolves once premium. */
async function premiumMember(planId = "premium-monthly") {
  const user = await registerUser(stack);
  const started = await user.client.op("StartCheckout", { planId });
  expect(started.errors).toBeUndefined();
  await onCheckoutPage(started.data!.startCheckout.url, "pay");
  await eventually(async () => expect((await myBilling(user)).isPremium).toBe(true));
  const { stripeSubscriptionId } = await stack.prisma.membership.findUniqueOrThrow({
    where: { userId: user.id },
  });
  return { user, subscriptionId: stripeSubscriptionId! };
}

/** Publishes `competition.created` as competitions would; resolves once billing kept it. */
async function competition(fields: { entryFeeCents: number; endsAt?: Date; name?: string }) {
  const competitionId = randomUUID();
  await publishEvent(
    stack,
    "competition.created",
    {
      competitionId,
      name: fields.name ?? "Ten thousand steps",
      entryFeeCents: fields.entryFeeCents,
      currency: "usd",
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: (fields.endsAt ?? new Date(Date.now() + 7 * 24 * 3600_000)).toISOString(),
    },
    "competitions",
  );
  await eventually(async () =>
    expect(
      await stack.prisma.billingCompetition.findUnique({ where: { id: competitionId } }),
    ).not.toBeNull(),
  );
  return competitionId;
}

function outboxEvents(type: string, userId: string) {
  return stack.prisma.billingOutboxEvent.findMany({
    where: { type, payload: { path: ["userId"], equals: userId } },
    orderBy: { id: "asc" },
  });
}

describe("plans", () => {
  it("lists the monthly and yearly plans with price, interval and features", async () => {
    const response = await stack.client().op("Plans");
    expect(response.errors).toBeUndefined();
    expect(response.data!.plans).toEqual([
      {
        id: "premium-monthly",
        name: "Premium monthly",
        interval: "MONTH",
        price: { amountCents: 999, currency: "usd" },
        features: expect.arrayContaining(["See who liked you"]),
      },
      {
        id: "premium-yearly",
        name: "Premium yearly",
        interval: "YEAR",
        price: { amountCents: 7999, currency: "usd" },
        features: expect.arrayContaining(["Unlimited likes"]),
      },
    ]);
  });
});

describe("memberships", () => {
  it("becomes premium only when Stripe's webhook confirms the checkout, with its payment listed", async () => {
    const user = await registerUser(stack);
    const started = await user.client.op("StartCheckout", { planId: "premium-yearly" });
    expect(started.errors).toBeUndefined();
    expect(started.data!.startCheckout.sessionId).toMatch(/^cs_test_/);
    expect(started.data!.startCheckout.url).toBe(
      `${stack.stripe.url}/checkout/${started.data!.startCheckout.sessionId}`,
    );
    expect(await myBilling(user)).toMatchObject({
      isPremium: false,
      membership: null,
      payments: [],
    });

    const paid = await onCheckoutPage(started.data!.startCheckout.url, "pay");
    expect(paid.status).toBe(303);
    await eventually(async () => expect((await myBilling(user)).isPremium).toBe(true));
    const billing = await myBilling(user);
    expect(billing.membership).toEqual({
      plan: { id: "premium-yearly", name: "Premium yearly" },
      status: "ACTIVE",
      currentPeriodEnd: expect.any(String),
      cancelAtPeriodEnd: false,
    });
    expect(new Date(billing.membership.currentPeriodEnd).getTime()).toBeGreaterThan(
      Date.now() + 360 * 24 * 3600_000,
    );
    await eventually(async () =>
      expect((await myBilling(user)).payments).toEqual([
        {
          id: expect.any(String),
          amount: { amountCents: 7999, currency: "usd" },
          status: "SUCCEEDED",
          description: "Premium yearly membership",
          createdAt: expect.any(String),
        },
      ]),
    );
    const changes = await outboxEvents("membership.changed", user.id);
    expect(changes.at(-1)!.payload).toMatchObject({
      userId: user.id,
      isPremium: true,
      status: "ACTIVE",
      planId: "premium-yearly",
    });
  });

  it("creates one Stripe customer per person, however many checkouts start at once", async () => {
    const user = await registerUser(stack);
    const started = await Promise.all(
      [1, 2, 3].map(() => user.client.op("StartCheckout", { planId: "premium-monthly" })),
    );
    expect(started.map((response) => response.errors)).toEqual([undefined, undefined, undefined]);
    const customers = [...stack.stripe.customers.values()].filter(
      (customer) => customer.metadata["userId"] === user.id,
    );
    expect(customers).toHaveLength(1);
  });

  it("answers NOT_FOUND for an unknown plan, CONFLICT for the plan already held, UNAUTHENTICATED without a token", async () => {
    const { user } = await premiumMember("premium-monthly");
    expect(errorOf(await user.client.op("StartCheckout", { planId: "gold" })).code).toBe(
      "NOT_FOUND",
    );
    expect(errorOf(await user.client.op("StartCheckout", { planId: "premium-monthly" })).code).toBe(
      "CONFLICT",
    );
    const other = await user.client.op("StartCheckout", { planId: "premium-yearly" });
    expect(other.errors).toBeUndefined();
    expect(
      errorOf(await stack.client().op("StartCheckout", { planId: "premium-monthly" })).code,
    ).toBe("UNAUTHENTICATED");
  });

  it("does nothing on a declined card or a cancelled checkout", async () => {
    const user = await registerUser(stack);
    const started = await user.client.op("StartCheckout", { planId: "premium-monthly" });
    const declined = await onCheckoutPage(started.data!.startCheckout.url, "decline");
    expect(declined.status).toBe(402);
    const cancelled = await onCheckoutPage(started.data!.startCheckout.url, "cancel");
    expect(cancelled.status).toBe(303);
    await stack.stripe.idle();
    expect(await myBilling(user)).toMatchObject({
      isPremium: false,
      membership: null,
      payments: [],
    });
  });

  it("hides another person's membership and payments, and shows their isPremium", async () => {
    const { user: member } = await premiumMember();
    const stranger = await registerUser(stack);
    const response = await stranger.client.query(
      `query($id: ID!) { user(id: $id) { id isPremium membership { status } payments { id } } }`,
      { id: member.id },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.user).toEqual({
      id: member.id,
      isPremium: true,
      membership: null,
      payments: null,
    });
  });

  it("pages a person's payments as a Relay connection (paymentsConnection), to them alone", async () => {
    const [owner, stranger] = await Promise.all([registerUser(stack), registerUser(stack)]);
    // Standing in for Stripe's webhooks: three stored payments a second apart, oldest first.
    const payments = [0, 1, 2].map((n) => ({
      id: randomUUID(),
      userId: owner.id,
      kind: "ENTRY",
      amountCents: 100 + n,
      currency: "usd",
      status: "SUCCEEDED",
      description: `Entry ${n}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    }));
    await stack.prisma.payment.createMany({ data: payments });
    const page = async (reader: RegisteredUser, after: string | null) => {
      const response = await reader.client.query(
        `query($id: ID!, $after: String) {
          user(id: $id) {
            paymentsConnection(first: 2, after: $after) {
              edges { cursor node { id amount { amountCents } } }
              pageInfo { hasNextPage endCursor }
            }
          }
        }`,
        { id: owner.id, after },
      );
      expect(response.errors).toBeUndefined();
      return response.data!.user.paymentsConnection;
    };
    const first = await page(owner, null);
    expect(first.edges.map((edge: any) => edge.node.id)).toEqual([
      payments[2]!.id,
      payments[1]!.id,
    ]);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1].cursor });
    const second = await page(owner, first.pageInfo.endCursor);
    expect(second).toEqual({
      edges: [
        {
          cursor: second.pageInfo.endCursor,
          node: { id: payments[0]!.id, amount: { amountCents: 100 } },
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: second.pageInfo.endCursor },
    });
    expect(await page(stranger, null)).toBeNull();
  });

  it("opens the billing portal for a customer, BAD_USER_INPUT for someone who never had one", async () => {
    const newcomer = await registerUser(stack);
    expect(errorOf(await newcomer.client.op("OpenBillingPortal")).code).toBe("BAD_USER_INPUT");
    const { user } = await premiumMember();
    const portal = await user.client.op("OpenBillingPortal");
    expect(portal.errors).toBeUndefined();
    expect(portal.data!.openBillingPortal.url).toMatch(
      new RegExp(`^${stack.stripe.url}/portal/bps_`),
    );
  });

  it("cancels at period end (still premium), then at once (no longer premium) through the portal", async () => {
    const { user, subscriptionId } = await premiumMember();
    const portalUrl = (await user.client.op("OpenBillingPortal")).data!.openBillingPortal.url;
    const press = (action: string) =>
      fetch(`${portalUrl}/${action}`, {
        method: "POST",
        body: new URLSearchParams({ subscription: subscriptionId }),
        redirect: "manual",
      });
    await press("cancel-at-period-end");
    await eventually(async () =>
      expect((await myBilling(user)).membership.cancelAtPeriodEnd).toBe(true),
    );
    expect(await myBilling(user)).toMatchObject({
      isPremium: true,
      membership: { status: "ACTIVE" },
    });
    await press("cancel-now");
    await eventually(async () => expect((await myBilling(user)).isPremium).toBe(false));
    expect((await myBilling(user)).membership.status).toBe("CANCELED");
    const last = (await outboxEvents("membership.changed", user.id)).at(-1)!;
    expect(last.payload).toMatchObject({ isPremium: false, status: "CANCELED" });
  });

  it("is PAST_DUE (still premium) after a failed renewal, ACTIVE again once paid", async () => {
    const { user, subscriptionId } = await premiumMember();
    stack.stripe.renew(subscriptionId, "failed");
    await eventually(async () =>
      expect((await myBilling(user)).membership.status).toBe("PAST_DUE"),
    );
    expect((await myBilling(user)).isPremium).toBe(true);
    await eventually(async () =>
      expect(
        (await myBilling(user)).payments.map((payment: { status: string }) => payment.status),
      ).toEqual(["FAILED", "SUCCEEDED"]),
    );
    stack.stripe.renew(subscriptionId, "paid");
    await eventually(async () => expect((await myBilling(user)).membership.status).toBe("ACTIVE"));
  });
});

describe("premium gates elsewhere", () => {
  it("opens discovery's likesReceived after the checkout completes, with the same access token", async () => {
    const { alice, bob } = await discoverablePair(stack);
    const liked = await bob.client.op("Swipe", {
      input: { targetUserId: alice.id, action: "LIKE" },
    });
    expect(liked.errors).toBeUndefined();
    expect(errorOf(await alice.client.op("LikesReceived", { first: 10 })).code).toBe(
      "PAYMENT_REQUIRED",
    );
    const started = await alice.client.op("StartCheckout", { planId: "premium-monthly" });
    await onCheckoutPage(started.data!.startCheckout.url, "pay");
    await eventually(async () => {
      const response = await alice.client.op("LikesReceived", { first: 10 });
      expect(response.errors).toBeUndefined();
      expect(response.data!.likesReceived).toEqual([
        {
          likedAt: expect.any(String),
          isSuperLike: false,
          user: { id: bob.id, profile: { displayName: "Bob" } },
        },
      ]);
    });
    const subscriptionId = (
      await stack.prisma.membership.findUniqueOrThrow({ where: { userId: alice.id } })
    ).stripeSubscriptionId!;
    stack.stripe.cancelSubscription(subscriptionId, false);
    await eventually(async () =>
      expect(errorOf(await alice.client.op("LikesReceived", { first: 10 })).code).toBe(
        "PAYMENT_REQUIRED",
      ),
    );
  });
});

describe("daily limits follow the membership", () => {
  it("gives a new premium member 5 super likes a day instead of 1", async () => {
    const first = await discoverablePair(stack);
    const second = await discoverablePair(stack, first);
    const { alice } = first;
    const superLike = (targetUserId: string) =>
      alice.client.op("Swipe", { input: { targetUserId, action: "SUPER_LIKE" } });
    const started = await alice.client.op("StartCheckout", { planId: "premium-monthly" });
    await onCheckoutPage(started.data!.startCheckout.url, "pay");
    await eventually(async () =>
      expect(
        (await stack.prisma.candidate.findUniqueOrThrow({ where: { userId: alice.id } })).tier,
      ).toBe("PREMIUM"),
    );
    expect((await superLike(first.bob.id)).errors).toBeUndefined();
    expect((await superLike(second.bob.id)).errors).toBeUndefined();
  });
});

describe("entry fees", () => {
  it("checks the competition: NOT_FOUND unknown, BAD_USER_INPUT free or finished", async () => {
    const user = await registerUser(stack);
    expect(
      errorOf(await user.client.op("PayCompetitionEntry", { competitionId: randomUUID() })).code,
    ).toBe("NOT_FOUND");
    const free = await competition({ entryFeeCents: 0 });
    expect(
      errorOf(await user.client.op("PayCompetitionEntry", { competitionId: free })),
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "competitionId",
    });
    const finished = await competition({ entryFeeCents: 500, endsAt: new Date(Date.now() - 1000) });
    expect(
      errorOf(await user.client.op("PayCompetitionEntry", { competitionId: finished })).code,
    ).toBe("BAD_USER_INPUT");
  });

  it("publishes entry.paid once Stripe confirms the fee competitions set, then CONFLICT", async () => {
    const user = await registerUser(stack);
    const competitionId = await competition({ entryFeeCents: 500, name: "Marathon month" });
    const started = await user.client.op("PayCompetitionEntry", { competitionId });
    expect(started.errors).toBeUndefined();
    const session = stack.stripe.sessions.get(started.data!.payCompetitionEntry.sessionId)!;
    expect(session).toMatchObject({ mode: "payment", amount_total: 500, currency: "usd" });
    expect((await myBilling(user)).payments).toMatchObject([{ status: "PENDING" }]);

    await onCheckoutPage(started.data!.payCompetitionEntry.url, "pay");
    await eventually(async () =>
      expect((await myBilling(user)).payments).toMatchObject([{ status: "SUCCEEDED" }]),
    );
    const paid = await outboxEvents("entry.paid", user.id);
    expect(paid.map((event) => event.payload)).toEqual([
      {
        paymentId: expect.any(String),
        competitionId,
        userId: user.id,
        amountCents: 500,
        currency: "usd",
        paidAt: expect.any(String),
      },
    ]);
    expect(errorOf(await user.client.op("PayCompetitionEntry", { competitionId })).code).toBe(
      "CONFLICT",
    );
  });

  it("refunds a second Checkout of the same entry paid meanwhile, and enters the person once", async () => {
    const user = await registerUser(stack);
    const competitionId = await competition({ entryFeeCents: 400 });
    const first = await user.client.op("PayCompetitionEntry", { competitionId });
    const second = await user.client.op("PayCompetitionEntry", { competitionId });
    await onCheckoutPage(first.data!.payCompetitionEntry.url, "pay");
    await onCheckoutPage(second.data!.payCompetitionEntry.url, "pay");
    await eventually(async () => {
      const statuses = (await myBilling(user)).payments.map((p: { status: string }) => p.status);
      expect(statuses.sort()).toEqual(["REFUNDED", "SUCCEEDED"]);
    });
    await stack.stripe.idle();
    expect(await outboxEvents("entry.paid", user.id)).toHaveLength(1);
    expect(await outboxEvents("entry.refunded", user.id)).toEqual([]);
  });

  it("marks a declined entry payment FAILED", async () => {
    const user = await registerUser(stack);
    const competitionId = await competition({ entryFeeCents: 300 });
    const started = await user.client.op("PayCompetitionEntry", { competitionId });
    await onCheckoutPage(started.data!.payCompetitionEntry.url, "decline");
    await eventually(async () =>
      expect((await myBilling(user)).payments).toMatchObject([
        {
          status: "FAILED",
          amount: { amountCents: 300 },
          description: expect.stringContaining("Entry"),
        },
      ]),
    );
    expect(await outboxEvents("entry.paid", user.id)).toEqual([]);
  });

  it("refunds an entry competitions declined (full): REFUNDED after charge.refunded, and entry.refunded", async () => {
    const user = await registerUser(stack);
    const competitionId = await competition({ entryFeeCents: 700 });
    const started = await user.client.op("PayCompetitionEntry", { competitionId });
    await onCheckoutPage(started.data!.payCompetitionEntry.url, "pay");
    await eventually(async () => expect(await outboxEvents("entry.paid", user.id)).toHaveLength(1));
    const { paymentId } = (await outboxEvents("entry.paid", user.id))[0]!.payload as {
      paymentId: string;
    };

    const declined = { paymentId, competitionId, userId: user.id, reason: "FULL" as const };
    await publishEvent(stack, "entry.declined", declined, "competitions");
    await publishEvent(stack, "entry.declined", declined, "competitions");
    await eventually(async () =>
      expect((await myBilling(user)).payments).toMatchObject([{ status: "REFUNDED" }]),
    );
    expect(
      [...stack.stripe.refunds.values()].filter(
        (refund) => refund.metadata?.["paymentId"] === paymentId,
      ),
    ).toHaveLength(1);
    expect((await outboxEvents("entry.refunded", user.id)).map((event) => event.payload)).toEqual([
      { paymentId, competitionId, userId: user.id, refundedAt: expect.any(String) },
    ]);
  });
});

describe("Stripe webhooks through the gateway", () => {
  const webhookUrl = () => `${stack.gatewayUrl}/webhooks/stripe`;

  async function post(payload: string, signature: string | null) {
    const response = await fetch(webhookUrl(), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature === null ? {} : { "stripe-signature": signature }),
      },
      body: payload,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  function anEvent(): Stripe.Event {
    return {
      id: `evt_test_${randomUUID().replace(/-/g, "")}`,
      object: "event",
      api_version: null,
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "cus_x", object: "customer" } as unknown as Stripe.Customer },
      livemode: false,
      pending_webhooks: 1,
      request: null,
      type: "customer.created",
    };
  }

  const secret = () => stack.stripe.endpoints[0]!.secret;
  const stored = (id: string) => stack.prisma.stripeEvent.findUnique({ where: { id } });

  it("answers 400 and stores nothing for a missing or bad signature, a wrong secret or an old timestamp", async () => {
    const event = anEvent();
    const payload = JSON.stringify(event);
    expect((await post(payload, null)).status).toBe(400);
    expect((await post(payload, "t=1,v1=deadbeef")).status).toBe(400);
    expect((await post(payload, stack.stripe.signature(payload, "whsec_wrong"))).status).toBe(400);
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect((await post(payload, stack.stripe.signature(payload, secret(), old))).status).toBe(400);
    const tampered = payload.replace("customer.created", "customer.updated");
    expect((await post(tampered, stack.stripe.signature(payload, secret()))).status).toBe(400);
    expect(await stored(event.id)).toBeNull();

    expect(await post(payload, stack.stripe.signature(payload, secret()))).toEqual({
      status: 200,
      body: { received: true, applied: true },
    });
    expect(await stored(event.id)).toMatchObject({ type: "customer.created" });
    expect(await post(payload, stack.stripe.signature(payload, secret()))).toEqual({
      status: 200,
      body: { received: true, applied: false },
    });
  });

  it("retries a delivery billing could not take (billing down), as Stripe does", async () => {
    await stack.stopSubgraph("billing");
    const event = stack.stripe.emit("customer.created", { id: "cus_retry", object: "customer" });
    await eventually(() =>
      expect(
        stack.stripe.deliveries.filter((d) => d.eventId === event.id).length,
      ).toBeGreaterThanOrEqual(2),
    );
    await stack.startSubgraph("billing");
    await eventually(async () => expect(await stored(event.id)).not.toBeNull(), {
      timeout: 15_000,
      interval: 100,
    });
    const statuses = stack.stripe.deliveries
      .filter((d) => d.eventId === event.id)
      .map((d) => d.status);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses[0]).not.toBe(200);
  });

  it("ends in the right state when the events arrive duplicated and in reverse order", async () => {
    const { user, subscriptionId } = await premiumMember();
    const versionBefore = (
      await stack.prisma.membership.findUniqueOrThrow({ where: { userId: user.id } })
    ).version;
    stack.stripe.hold();
    stack.stripe.cancelSubscription(subscriptionId, true);
    stack.stripe.resumeSubscription(subscriptionId);
    stack.stripe.renew(subscriptionId, "failed");
    stack.stripe.cancelSubscription(subscriptionId, false);
    const held = stack.stripe.release((events) => [...events].reverse());
    await stack.stripe.idle();
    for (const event of held) await stack.stripe.send(event);
    const membership = await stack.prisma.membership.findUniqueOrThrow({
      where: { userId: user.id },
    });
    expect(membership).toMatchObject({ status: "CANCELED", isPremium: false });
    expect(membership.version).toBeGreaterThan(versionBefore);
    expect((await myBilling(user)).isPremium).toBe(false);
    const applied = await stack.prisma.stripeEvent.count({
      where: { id: { in: held.map((e) => e.id) } },
    });
    expect(applied).toBe(held.length);
  });

  it("survives a storm of 1,000 deliveries in random order with duplicates", async () => {
    const members = await Promise.all([premiumMember(), premiumMember(), premiumMember()]);
    stack.stripe.hold();
    const [a, b, c] = members;
    for (let round = 0; round < 4; round++) {
      stack.stripe.renew(a!.subscriptionId, round % 2 === 0 ? "failed" : "paid");
      stack.stripe.renew(b!.subscriptionId, "paid");
    }
    stack.stripe.renew(a!.subscriptionId, "failed"); // a ends PAST_DUE
    stack.stripe.cancelSubscription(b!.subscriptionId, true); // b ends ACTIVE, cancelling at period end
    stack.stripe.cancelSubscription(c!.subscriptionId, true);
    stack.stripe.resumeSubscription(c!.subscriptionId);
    stack.stripe.cancelSubscription(c!.subscriptionId, false); // c ends CANCELED
    const held = stack.stripe.release(() => []);
    const deliveries = Array.from({ length: 1000 }, (_, index) => held[index % held.length]!);
    for (let index = deliveries.length - 1; index > 0; index--) {
      const other = Math.floor(Math.random() * (index + 1));
      [deliveries[index], deliveries[other]] = [deliveries[other]!, deliveries[index]!];
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < deliveries.length) await stack.stripe.send(deliveries[next++]!);
      }),
    );
    const heldIds = new Set(held.map((event) => event.id));
    expect(
      stack.stripe.deliveries.filter((delivery) => heldIds.has(delivery.eventId)).length,
    ).toBeGreaterThanOrEqual(1000);
    const state = async (userId: string) =>
      stack.prisma.membership.findUniqueOrThrow({ where: { userId } });
    expect(await state(a!.user.id)).toMatchObject({ status: "PAST_DUE", isPremium: true });
    expect(await state(b!.user.id)).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true });
    expect(await state(c!.user.id)).toMatchObject({ status: "CANCELED", isPremium: false });
    expect(
      await stack.prisma.stripeEvent.count({ where: { id: { in: held.map((e) => e.id) } } }),
    ).toBe(held.length);
  }, 60_000);
});

describe("reconciliation", () => {
  it("repairs a membership whose webhook was lost", async () => {
    const { user, subscriptionId } = await premiumMember();
    stack.stripe.hold();
    stack.stripe.cancelSubscription(subscriptionId, false);
    stack.stripe.release(() => []); // lost
    expect((await myBilling(user)).isPremium).toBe(true);
    const report = await reconcile();
    expect(report).toMatchObject({ failures: 0 });
    expect(await myBilling(user)).toMatchObject({
      isPremium: false,
      membership: { status: "CANCELED" },
    });
  });

  async function reconcile() {
    const { createBillingReconciler, billingConfigSchema } = await import("@pulse/billing");
    const config = billingConfigSchema.parse({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      DATABASE_URL: inject("databaseUrl"),
      REDIS_URL: inject("redisUrl"),
      REDIS_PREFIX: stack.redisPrefix,
      GATEWAY_SECRET: stack.gatewaySecret,
      STRIPE_SECRET_KEY: stack.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stack.stripe.endpoints[0]!.secret,
      STRIPE_API_URL: stack.stripe.url,
      STRIPE_PRICE_PREMIUM_MONTHLY: [...stack.stripe.prices.values()][0]!.id,
      STRIPE_PRICE_PREMIUM_YEARLY: [...stack.stripe.prices.values()][1]!.id,
    });
    const reconciler = createBillingReconciler(config);
    try {
      return await reconciler.run();
    } finally {
      await reconciler.close();
    }
  }
});

describe("user.deleted", () => {
  it("cancels the subscription at once, deletes the Stripe customer and keeps payments without the person", async () => {
    const { user, subscriptionId } = await premiumMember();
    const customerId = (
      await stack.prisma.billingCustomer.findUniqueOrThrow({ where: { userId: user.id } })
    ).stripeCustomerId;
    // The first invoice's payment is recorded by its own webhook.
    await eventually(async () => expect((await myBilling(user)).payments).toHaveLength(1));
    const paymentIds = (await stack.prisma.payment.findMany({ where: { userId: user.id } })).map(
      (p) => p.id,
    );

    const deleted = await user.client.op("DeleteAccount", { password: user.password });
    expect(deleted.errors).toBeUndefined();
    await eventually(async () => {
      expect(stack.stripe.subscriptions.get(subscriptionId)!.status).toBe("canceled");
      expect(stack.stripe.customers.has(customerId)).toBe(false);
      expect(
        await stack.prisma.billingCustomer.findUnique({ where: { userId: user.id } }),
      ).toBeNull();
    });
    const kept = await stack.prisma.payment.findMany({ where: { id: { in: paymentIds } } });
    expect(kept.map((payment) => payment.userId)).toEqual(paymentIds.map(() => null));
    expect(
      await stack.prisma.membership.findUniqueOrThrow({ where: { userId: user.id } }),
    ).toMatchObject({
      status: null,
      isPremium: false,
      stripeSubscriptionId: null,
    });
    await stack.stripe.idle();
    const last = (await outboxEvents("membership.changed", user.id)).at(-1)!;
    expect(last.payload).toMatchObject({ isPremium: false, status: null });
  });
});
