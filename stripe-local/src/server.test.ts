import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalStripe } from "./server.ts";

/** A webhook receiver that verifies each delivery with the `stripe` library, as billing does. */
interface Receiver {
  url: string;
  events: Stripe.Event[];
  /** Answers to give, in turn (then 200). */
  answers: number[];
  close(): Promise<void>;
}

async function startReceiver(secret: () => string): Promise<Receiver> {
  const events: Stripe.Event[] = [];
  const answers: number[] = [];
  const verifier = new Stripe("sk_test_unused");
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        const event = verifier.webhooks.constructEvent(
          Buffer.concat(chunks),
          String(req.headers["stripe-signature"]),
          secret(),
        );
        const status = answers.shift() ?? 200;
        if (status === 200) events.push(event);
        res.writeHead(status).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    events,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("local Stripe server", () => {
  let local: LocalStripe;
  let receiver: Receiver;
  let stripe: Stripe;
  let secret = "";

  beforeEach(async () => {
    receiver = await startReceiver(() => secret);
    local = await LocalStripe.start({ retryDelaysMs: [20, 40, 80] });
    secret = local.addWebhookEndpoint(receiver.url).secret;
    stripe = local.client();
  });

  afterEach(async () => {
    await local.close();
    await receiver.close();
  });

  it("refuses a wrong API key the way Stripe does", async () => {
    const wrong = new Stripe("sk_test_wrong", local.clientConfig());
    await expect(wrong.customers.create({})).rejects.toMatchObject({
      type: "StripeAuthenticationError",
    });
  });

  it("creates one customer per idempotency key", async () => {
    const [a, b] = await Promise.all([
      stripe.customers.create({ metadata: { userId: "u1" } }, { idempotencyKey: "customer-u1" }),
      stripe.customers.create({ metadata: { userId: "u1" } }, { idempotencyKey: "customer-u1" }),
    ]);
    expect(a.id).toMatch(/^cus_/);
    expect(b.id).toBe(a.id);
    expect(local.customers.size).toBe(1);
    await expect(stripe.customers.retrieve("cus_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
    });
  });

  it("sells a subscription through the hosted Checkout page and delivers signed webhooks", async () => {
    const price = local.createPrice({ productName: "Premium", unitAmount: 999, interval: "month" });
    const customer = await stripe.customers.create({});
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "http://app.local/ok?session={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.local/cancel",
      subscription_data: { metadata: { userId: "u1" } },
    });
    expect(session).toMatchObject({
      object: "checkout.session",
      status: "open",
      mode: "subscription",
    });
    const page = await fetch(session.url!);
    expect(await page.text()).toContain("4242 4242 4242 4242");

    const paid = await fetch(session.url!, {
      method: "POST",
      body: new URLSearchParams({ outcome: "pay" }),
      redirect: "manual",
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://app.local/ok?session=${session.id}`);
    await local.idle();

    const types = receiver.events.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "customer.subscription.created",
        "invoice.paid",
        "checkout.session.completed",
      ]),
    );
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: "complete", payment_status: "paid" });
    const subscription = await stripe.subscriptions.retrieve(completed.subscription as string);
    expect(subscription).toMatchObject({ status: "active", metadata: { userId: "u1" } });
    expect(subscription.items.data[0]!.current_period_end).toBeGreaterThan(subscription.start_date);

    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe("canceled");
  });

  it("declines and refunds one-off payments", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        {
          price_data: { currency: "usd", unit_amount: 500, product_data: { name: "Entry" } },
          quantity: 1,
        },
      ],
      payment_intent_data: { metadata: { paymentId: "p1" } },
      success_url: "http://app.local/ok",
    });
    local.completeCheckout(session.id, "decline");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    local.completeCheckout(session.id, "pay");
    await local.idle();
    const intentId = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    const intent = await stripe.paymentIntents.retrieve(intentId);
    expect(intent).toMatchObject({
      status: "succeeded",
      amount: 500,
      metadata: { paymentId: "p1" },
    });

    const refund = await stripe.refunds.create(
      { payment_intent: intentId },
      { idempotencyKey: "r1" },
    );
    expect(refund).toMatchObject({ object: "refund", status: "succeeded", amount: 500 });
    await local.idle();
    expect(receiver.events.map((event) => event.type)).toContain("charge.refunded");
  });

  it("retries a delivery answered with a non-2xx status", async () => {
    receiver.answers.push(500, 503);
    const customer = await stripe.customers.create({});
    await local.idle();
    const attempts = local.deliveries.filter((delivery) => delivery.type === "customer.created");
    expect(attempts.map((delivery) => delivery.status)).toEqual([500, 503, 200]);
    expect(receiver.events.map((event) => event.data.object)).toContainEqual(
      expect.objectContaining({ id: customer.id }),
    );
  });

  it("holds events and releases them in any order, and sends duplicates", async () => {
    local.hold();
    await stripe.customers.create({});
    await stripe.customers.create({});
    const held = local.release((events) => events.reverse());
    await local.idle();
    expect(receiver.events.map((event) => event.id)).toEqual(
      held.map((event) => event.id).reverse(),
    );
    await local.send(held[0]!);
    expect(receiver.events.filter((event) => event.id === held[0]!.id)).toHaveLength(2);
  });

  it("signs with a wrong secret or an old timestamp when asked, which the receiver refuses", async () => {
    const event = local.emit("customer.created", { id: "cus_x", object: "customer" });
    await local.idle();
    const before = receiver.events.length;
    await local.send(event, { secret: "whsec_wrong", retry: false });
    await local.send(event, { timestamp: Math.floor(Date.now() / 1000) - 3600, retry: false });
    expect(local.deliveries.slice(-2).map((delivery) => delivery.status)).toEqual([400, 400]);
    expect(receiver.events).toHaveLength(before);
  });
});
