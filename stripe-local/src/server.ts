import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import * as fixtures from "./fixtures.ts";
import { parseForm } from "./form.ts";
import { checkoutPage, portalPage, resultPage } from "./pages.ts";

/** A webhook endpoint the local server delivers every event to, as a Stripe account would. */
export interface WebhookEndpoint {
  url: string;
  /** `whsec_...`: the signing secret billing verifies with. */
  secret: string;
}

export interface LocalStripeOptions {
  /** Port to listen on; any free one by default. */
  port?: number;
  host?: string;
  /** The API key clients must send; `sk_test_local` by default. */
  secretKey?: string;
  webhookEndpoints?: WebhookEndpoint[];
  /**
   * Delays between webhook attempts after a non-2xx answer (or none). Stripe retries for up to
   * three days with exponential backoff; the default here is the same shape, compressed.
   */
  retryDelaysMs?: number[];
  /** Called for every delivery attempt (logging, tests). */
  onDelivery?: (delivery: Delivery) => void;
  /**
   * Keeps the objects (not the events) in this JSON file across restarts, as `pnpm dev` does, so
   * the customers and subscriptions billing stored still exist here after a restart.
   */
  stateFile?: string;
}

/** One attempt to deliver one event to one endpoint. */
export interface Delivery {
  eventId: string;
  type: string;
  url: string;
  attempt: number;
  /** HTTP status, or 0 when the endpoint could not be reached. */
  status: number;
}

/** Outcomes the hosted Checkout page offers. */
export type CheckoutOutcome = "pay" | "decline" | "cancel";

export interface SendOptions {
  /** Deliver to these endpoints only (default: every registered endpoint). */
  endpoints?: WebhookEndpoint[];
  /** Sign with this secret instead of the endpoint's (a wrong-secret test). */
  secret?: string;
  /** Sign with this timestamp (seconds) instead of now (an old-timestamp test). */
  timestamp?: number;
  /** Retry on failure (default true). */
  retry?: boolean;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000];

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const missing = (what: string, id: string) =>
  new StripeApiError(
    404,
    "invalid_request_error",
    `No such ${what}: '${id}'`,
    "resource_missing",
    "id",
  );

/**
 * A local Stripe test server: the API endpoints billing calls, with Stripe's object shapes, a
 * hosted Checkout page and billing portal, and webhooks signed as Stripe signs them. For
 * development and tests only; it keeps everything in memory.
 */
export class LocalStripe {
  readonly secretKey: string;
  readonly endpoints: WebhookEndpoint[];
  /** Every event emitted, oldest first. */
  readonly events: Stripe.Event[] = [];
  /** Every delivery attempt, oldest first. */
  readonly deliveries: Delivery[] = [];

  readonly customers = new Map<string, Stripe.Customer>();
  readonly products = new Map<string, Stripe.Product>();
  readonly prices = new Map<string, Stripe.Price>();
  readonly sessions = new Map<string, Stripe.Checkout.Session>();
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly invoices = new Map<string, Stripe.Invoice>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly portalSessions = new Map<string, Stripe.BillingPortal.Session>();

  private readonly server: Server;
  private readonly signer = new Stripe("sk_test_signer");
  private readonly idempotent = new Map<string, { status: number; body: string }>();
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly retryDelaysMs: number[];
  private held: Stripe.Event[] | null = null;
  private closed = false;
  private baseUrl = "";

  private constructor(private readonly options: LocalStripeOptions) {
    this.secretKey = options.secretKey ?? "sk_test_local";
    this.endpoints = [...(options.webhookEndpoints ?? [])];
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.server = createServer((req, res) => void this.handle(req, res));
    if (options.stateFile && existsSync(options.stateFile)) this.restore(options.stateFile);
  }

  /** The maps the state file keeps, by name. */
  private stores(): Record<string, Map<string, unknown>> {
    return {
      customers: this.customers,
      products: this.products,
      prices: this.prices,
      sessions: this.sessions,
      subscriptions: this.subscriptions,
      invoices: this.invoices,
      paymentIntents: this.paymentIntents,
      charges: this.charges,
      refunds: this.refunds,
      portalSessions: this.portalSessions,
      sessionExtras: this.sessionExtras,
    };
  }

  private restore(file: string): void {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, [string, unknown][]>;
    for (const [name, store] of Object.entries(this.stores())) {
      for (const [key, value] of saved[name] ?? []) store.set(key, value);
    }
  }

  /** Writes the state file, if any (whole, then renamed into place). */
  private persist(): void {
    const file = this.options.stateFile;
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    const state = Object.fromEntries(
      Object.entries(this.stores()).map(([name, store]) => [name, [...store.entries()]]),
    );
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  }

  /** Starts a local Stripe server; resolves once it listens. */
  static async start(options: LocalStripeOptions = {}): Promise<LocalStripe> {
    const local = new LocalStripe(options);
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      local.server.once("error", reject);
      local.server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = local.server.address() as AddressInfo;
    local.baseUrl = `http://${host}:${port}`;
    return local;
  }

  /** `http://host:port`: the API, the Checkout pages and the portal. */
  get url(): string {
    return this.baseUrl;
  }

  /** What to give the `stripe` client so it talks to this server. */
  clientConfig(): { host: string; port: number; protocol: "http" } {
    const url = new URL(this.baseUrl);
    return { host: url.hostname, port: Number(url.port), protocol: "http" };
  }

  /** A `stripe` client of this server. */
  client(): Stripe {
    return new Stripe(this.secretKey, { ...this.clientConfig(), maxNetworkRetries: 2 });
  }

  /** Registers a webhook endpoint; a signing secret is made up unless given. */
  addWebhookEndpoint(url: string, secret = `whsec_${randomBytes(24).toString("base64url")}`) {
    const endpoint = { url, secret };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  /** Creates a product and a price (recurring when `interval` is set), as the dashboard would. */
  createPrice(params: {
    productName: string;
    unitAmount: number;
    currency?: string;
    interval?: "month" | "year";
    lookupKey?: string;
  }): Stripe.Price {
    const product = fixtures.product(params.productName);
    this.products.set(product.id, product);
    const price = fixtures.price({
      product: product.id,
      unitAmount: params.unitAmount,
      currency: params.currency ?? "usd",
      interval: params.interval ?? null,
      lookupKey: params.lookupKey ?? null,
      nickname: params.productName,
    });
    this.prices.set(price.id, price);
    this.persist();
    return price;
  }

  // ---- Events and webhooks -------------------------------------------------------------------

  /** Records an event about `object` (its state now) and delivers it to every endpoint. */
  emit(
    type: Stripe.Event.Type,
    object: { id: string; object: string },
    previousAttributes?: Record<string, unknown>,
  ): Stripe.Event {
    const event = fixtures.event(type, object, previousAttributes);
    this.events.push(event);
    this.persist();
    if (this.held) this.held.push(event);
    else this.send(event);
    return event;
  }

  /** Holds every event emitted from now on instead of delivering it, until {@link release}. */
  hold(): void {
    this.held ??= [];
  }

  /**
   * Delivers the held events, in the order `order` gives them (as emitted by default), and stops
   * holding. Returns the events held.
   */
  release(order: (events: Stripe.Event[]) => Stripe.Event[] = (events) => events): Stripe.Event[] {
    const held = this.held ?? [];
    this.held = null;
    for (const event of order([...held])) this.send(event);
    return held;
  }

  /**
   * Delivers `event` (again, late, ...) to the endpoints, signed as Stripe signs it, retrying on
   * a non-2xx answer. Resolves when this delivery (with its retries) is over.
   */
  send(event: Stripe.Event, options: SendOptions = {}): Promise<void> {
    const deliveries = (options.endpoints ?? this.endpoints).map((endpoint) =>
      this.track(this.deliver(event, endpoint, options, 1)),
    );
    return Promise.all(deliveries).then(() => undefined);
  }

  /** Signs `payload` for `secret` as Stripe does: `t=<timestamp>,v1=<HMAC-SHA256>`. */
  signature(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
    return this.signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
  }

  /** Resolves once no delivery (nor retry) is in flight. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private track(delivery: Promise<void>): Promise<void> {
    this.pending.add(delivery);
    return delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliver(
    event: Stripe.Event,
    endpoint: WebhookEndpoint,
    options: SendOptions,
    attempt: number,
  ): Promise<void> {
    if (this.closed) return;
    const payload = JSON.stringify(event, null, 2);
    let status = 0;
    try {
      const response = await fetch(endpoint.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "stripe-signature": this.signature(
            payload,
            options.secret ?? endpoint.secret,
            options.timestamp,
          ),
        },
        body: payload,
        signal: AbortSignal.timeout(20_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    const delivery = { eventId: event.id, type: event.type, url: endpoint.url, attempt, status };
    this.deliveries.push(delivery);
    this.options.onDelivery?.(delivery);
    if (status >= 200 && status < 300) return;
    const delay = this.retryDelaysMs[attempt - 1];
    if (options.retry === false || delay === undefined || this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, delay);
      this.timers.add(timer);
    });
    await this.deliver(event, endpoint, options, attempt + 1);
  }

  // ---- What happens at Stripe (Checkout, renewals, the portal) -------------------------------

  /** Completes a Checkout session as its hosted page would for the outcome chosen there. */
  completeCheckout(sessionId: string, outcome: CheckoutOutcome): Stripe.Checkout.Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw missing("checkout.session", sessionId);
    if (session.status !== "open") return session;
    if (outcome === "cancel") return session;
    const customerId = this.sessionCustomer(session);
    const line = this.sessionExtras.get(sessionId)?.priceId ?? "";
    if (session.mode === "subscription") {
      // A declined card leaves the session open: Checkout asks for another card.
      if (outcome === "decline") return session;
      const price = this.prices.get(line)!;
      const start = fixtures.unixNow();
      const subscription = fixtures.subscription({
        customer: customerId,
        price,
        periodStart: start,
        periodEnd: addInterval(start, price.recurring?.interval ?? "month"),
        metadata: { ...(session.metadata ?? {}), ...this.subscriptionMetadata(sessionId) },
      });
      const invoice = fixtures.invoice({
        customer: customerId,
        subscription,
        amount: price.unit_amount ?? 0,
        currency: price.currency,
        paid: true,
        billingReason: "subscription_create",
        periodStart: start,
        periodEnd: subscription.items.data[0]!.current_period_end,
      });
      subscription.latest_invoice = invoice.id;
      this.subscriptions.set(subscription.id, subscription);
      this.invoices.set(invoice.id, invoice);
      Object.assign(session, {
        status: "complete",
        payment_status: "paid",
        subscription: subscription.id,
        invoice: invoice.id,
      });
      this.emit("customer.subscription.created", subscription);
      this.emit("invoice.created", invoice);
      this.emit("invoice.paid", invoice);
      this.emit("invoice.payment_succeeded", invoice);
      this.emit("checkout.session.completed", session);
      return session;
    }
    const intent = fixtures.paymentIntent({
      amount: session.amount_total ?? 0,
      currency: session.currency ?? "usd",
      customer: customerId,
      description: null,
      metadata: this.paymentIntentMetadata(sessionId),
    });
    const charge = fixtures.charge(intent, outcome === "pay");
    this.paymentIntents.set(intent.id, intent);
    this.charges.set(charge.id, charge);
    intent.latest_charge = charge.id;
    intent.payment_method = charge.payment_method;
    session.payment_intent = intent.id;
    if (outcome === "decline") {
      intent.last_payment_error = {
        type: "card_error",
        code: "card_declined",
        decline_code: "generic_decline",
        message: "Your card was declined.",
      };
      this.emit("charge.failed", charge);
      this.emit("payment_intent.payment_failed", intent);
      return session;
    }
    Object.assign(intent, { status: "succeeded", amount_received: intent.amount });
    Object.assign(session, { status: "complete", payment_status: "paid" });
    this.emit("charge.succeeded", charge);
    this.emit("payment_intent.succeeded", intent);
    this.emit("checkout.session.completed", session);
    return session;
  }

  /** Lets an open Checkout session expire, as Stripe does after 24 hours. */
  expireCheckout(sessionId: string): Stripe.Checkout.Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw missing("checkout.session", sessionId);
    if (session.status !== "open") return session;
    session.status = "expired";
    session.url = null;
    this.emit("checkout.session.expired", session);
    return session;
  }

  /** Renews a subscription for another period, its invoice paid or failed (PAST_DUE). */
  renew(subscriptionId: string, outcome: "paid" | "failed" = "paid"): Stripe.Invoice {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw missing("subscription", subscriptionId);
    const item = subscription.items.data[0]!;
    const price = item.price;
    const previous = { status: subscription.status };
    const paid = outcome === "paid";
    const start = item.current_period_end;
    const end = addInterval(start, price.recurring?.interval ?? "month");
    const invoice = fixtures.invoice({
      customer: subscription.customer as string,
      subscription,
      amount: price.unit_amount ?? 0,
      currency: price.currency,
      paid,
      billingReason: "subscription_cycle",
      periodStart: start,
      periodEnd: end,
    });
    this.invoices.set(invoice.id, invoice);
    subscription.latest_invoice = invoice.id;
    if (paid) {
      item.current_period_start = start;
      item.current_period_end = end;
      subscription.status = "active";
    } else {
      subscription.status = "past_due";
    }
    this.emit("invoice.created", invoice);
    this.emit(paid ? "invoice.paid" : "invoice.payment_failed", invoice);
    this.emit("customer.subscription.updated", subscription, previous);
    return invoice;
  }

  /** Cancels a subscription at once or at the end of its period (the portal's buttons). */
  cancelSubscription(subscriptionId: string, atPeriodEnd: boolean): Stripe.Subscription {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw missing("subscription", subscriptionId);
    if (subscription.status === "canceled") {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        "This subscription is already canceled.",
      );
    }
    const now = fixtures.unixNow();
    if (atPeriodEnd) {
      const previous = { cancel_at_period_end: subscription.cancel_at_period_end };
      subscription.cancel_at_period_end = true;
      subscription.cancel_at = subscription.items.data[0]!.current_period_end;
      subscription.canceled_at = now;
      this.emit("customer.subscription.updated", subscription, previous);
    } else {
      Object.assign(subscription, { status: "canceled", canceled_at: now, ended_at: now });
      subscription.cancellation_details = {
        ...subscription.cancellation_details!,
        reason: "cancellation_requested",
      };
      this.emit("customer.subscription.deleted", subscription);
    }
    return subscription;
  }

  /** Undoes a cancellation at period end (the portal's "renew" button). */
  resumeSubscription(subscriptionId: string): Stripe.Subscription {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw missing("subscription", subscriptionId);
    const previous = { cancel_at_period_end: subscription.cancel_at_period_end };
    Object.assign(subscription, {
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
    });
    this.emit("customer.subscription.updated", subscription, previous);
    return subscription;
  }

  /** Refunds a payment intent's charge in full. */
  refundPaymentIntent(
    paymentIntentId: string,
    reason: Stripe.Refund.Reason | null = null,
    metadata: Stripe.Metadata = {},
  ): Stripe.Refund {
    const intent = this.paymentIntents.get(paymentIntentId);
    if (!intent) throw missing("payment_intent", paymentIntentId);
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge as string) : null;
    if (!charge || !charge.paid) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        `This PaymentIntent (${paymentIntentId}) does not have a successful charge to refund.`,
      );
    }
    if (charge.refunded) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        `Charge ${charge.id} has already been refunded.`,
        "charge_already_refunded",
      );
    }
    const refund = fixtures.refund({ charge, amount: charge.amount, reason, metadata });
    this.refunds.set(refund.id, refund);
    Object.assign(charge, { refunded: true, amount_refunded: charge.amount });
    this.emit("refund.created", refund);
    this.emit("charge.refunded", charge);
    return refund;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", this.baseUrl);
      const body = await readBody(req);
      if (url.pathname.startsWith("/v1/")) await this.api(req, res, url, body);
      else this.page(req, res, url, body);
    } catch (error) {
      if (error instanceof StripeApiError) {
        return sendJson(res, error.status, {
          error: {
            type: error.type,
            message: error.message,
            ...(error.code ? { code: error.code } : {}),
            ...(error.param ? { param: error.param } : {}),
          },
        });
      }
      sendJson(res, 500, { error: { type: "api_error", message: String(error) } });
    }
  }

  private async api(req: IncomingMessage, res: ServerResponse, url: URL, raw: string) {
    if (req.headers.authorization !== `Bearer ${this.secretKey}`) {
      throw new StripeApiError(
        401,
        "invalid_request_error",
        "Invalid API Key provided.",
        "api_key_invalid",
      );
    }
    const key = req.headers["idempotency-key"];
    const idempotencyKey = typeof key === "string" && req.method === "POST" ? key : null;
    const remembered = idempotencyKey ? this.idempotent.get(idempotencyKey) : undefined;
    if (remembered) {
      res.writeHead(remembered.status, {
        "content-type": "application/json",
        "idempotent-replayed": "true",
      });
      return res.end(remembered.body);
    }
    const params = parseForm(
      req.method === "GET" || req.method === "DELETE" ? url.search.slice(1) : raw,
    );
    const result = this.route(req.method ?? "GET", url.pathname, params);
    const body = JSON.stringify(result);
    if (req.method !== "GET") this.persist();
    if (idempotencyKey) this.idempotent.set(idempotencyKey, { status: 200, body });
    res.writeHead(200, {
      "content-type": "application/json",
      "request-id": fixtures.stripeId("req"),
    });
    res.end(body);
  }

  private route(method: string, path: string, params: Record<string, unknown>): unknown {
    const parts = path.split("/").slice(2); // after "/v1"
    const [resource, id, action] = parts;
    const get = <T>(map: Map<string, T>, what: string, key: string | undefined): T => {
      const found = key ? map.get(key) : undefined;
      if (!found) throw missing(what, key ?? "");
      return found;
    };
    // Nested paths: /v1/checkout/sessions[/:id[/expire]], /v1/billing_portal/sessions.
    if (resource === "checkout" && id === "sessions") {
      if (method === "POST" && !action) return this.createCheckoutSession(params);
      const session = get(this.sessions, "checkout.session", action);
      if (method === "GET" && parts.length === 3) return session;
      if (method === "POST" && parts[3] === "expire") return this.expireCheckout(session.id);
    }
    if (resource === "billing_portal" && id === "sessions" && method === "POST") {
      return this.createPortalSession(params);
    }
    switch (`${method} ${resource}${id ? "/:id" : ""}${action ? `/${action}` : ""}`) {
      case "POST customers":
        return this.createCustomer(params);
      case "GET customers/:id":
        return get(this.customers, "customer", id);
      case "DELETE customers/:id":
        return this.deleteCustomer(id!);
      case "GET prices/:id":
        return get(this.prices, "price", id);
      case "GET subscriptions/:id":
        return get(this.subscriptions, "subscription", id);
      case "POST subscriptions/:id":
        get(this.subscriptions, "subscription", id);
        if (params["cancel_at_period_end"] === "true") return this.cancelSubscription(id!, true);
        if (params["cancel_at_period_end"] === "false") return this.resumeSubscription(id!);
        return this.subscriptions.get(id!);
      case "DELETE subscriptions/:id":
        return this.cancelSubscription(id!, false);
      case "GET invoices/:id":
        return get(this.invoices, "invoice", id);
      case "GET payment_intents/:id":
        return get(this.paymentIntents, "payment_intent", id);
      case "GET charges/:id":
        return get(this.charges, "charge", id);
      case "POST refunds":
        return this.refundPaymentIntent(
          String(params["payment_intent"]),
          (params["reason"] as Stripe.Refund.Reason | undefined) ?? null,
          (params["metadata"] as Stripe.Metadata | undefined) ?? {},
        );
      case "GET events/:id":
        return get(new Map(this.events.map((event) => [event.id, event])), "event", id);
    }
    throw new StripeApiError(
      404,
      "invalid_request_error",
      `Unrecognized request URL (${method}: ${path}). The local Stripe server implements only what billing calls.`,
    );
  }

  private createCustomer(params: Record<string, unknown>): Stripe.Customer {
    const created = fixtures.customer({
      email: (params["email"] as string | undefined) ?? null,
      description: (params["description"] as string | undefined) ?? null,
      metadata: (params["metadata"] as Stripe.Metadata | undefined) ?? {},
    });
    this.customers.set(created.id, created);
    this.emit("customer.created", created);
    return created;
  }

  /** Deleting a customer cancels their subscriptions at once, as Stripe does. */
  private deleteCustomer(id: string): Stripe.DeletedCustomer {
    const found = this.customers.get(id);
    if (!found) throw missing("customer", id);
    for (const subscription of this.subscriptions.values()) {
      if (subscription.customer === id && subscription.status !== "canceled") {
        this.cancelSubscription(subscription.id, false);
      }
    }
    this.customers.delete(id);
    this.emit("customer.deleted", found);
    return { id, object: "customer", deleted: true };
  }

  private createCheckoutSession(params: Record<string, unknown>): Stripe.Checkout.Session {
    const mode = params["mode"] as Stripe.Checkout.Session.Mode;
    if (mode !== "subscription" && mode !== "payment") {
      throw new StripeApiError(400, "invalid_request_error", "Invalid mode", undefined, "mode");
    }
    const lineItems = (params["line_items"] as Record<string, unknown>[] | undefined) ?? [];
    const line = lineItems[0];
    if (!line) {
      throw new StripeApiError(
        400,
        "invalid_request_error",
        "line_items is required",
        undefined,
        "line_items",
      );
    }
    let amount: number;
    let currency: string;
    let priceId = "";
    if (typeof line["price"] === "string") {
      const found = this.prices.get(line["price"]);
      if (!found) throw missing("price", line["price"]);
      if (mode === "subscription" && !found.recurring) {
        throw new StripeApiError(
          400,
          "invalid_request_error",
          "A subscription needs a recurring price",
        );
      }
      priceId = found.id;
      amount = found.unit_amount ?? 0;
      currency = found.currency;
    } else {
      const data = line["price_data"] as Record<string, unknown> | undefined;
      if (!data || mode !== "payment") {
        throw new StripeApiError(
          400,
          "invalid_request_error",
          "line_items[0] needs a price",
          undefined,
          "line_items",
        );
      }
      amount = Number(data["unit_amount"]);
      currency = String(data["currency"]);
      const name = String(
        (data["product_data"] as Record<string, unknown> | undefined)?.["name"] ?? "",
      );
      priceId = this.createPrice({ productName: name, unitAmount: amount, currency }).id;
    }
    amount *= Number(line["quantity"] ?? 1);
    const customerId = params["customer"] as string | undefined;
    if (customerId && !this.customers.has(customerId)) throw missing("customer", customerId);
    const session = fixtures.checkoutSession({
      mode,
      customer: customerId ?? null,
      url: "",
      successUrl: (params["success_url"] as string | undefined) ?? null,
      cancelUrl: (params["cancel_url"] as string | undefined) ?? null,
      amountTotal: amount,
      currency,
      clientReferenceId: (params["client_reference_id"] as string | undefined) ?? null,
      metadata: (params["metadata"] as Stripe.Metadata | undefined) ?? {},
    });
    session.url = `${this.baseUrl}/checkout/${session.id}`;
    this.sessionExtras.set(session.id, {
      priceId,
      subscriptionMetadata:
        ((params["subscription_data"] as Record<string, unknown> | undefined)?.["metadata"] as
          Stripe.Metadata | undefined) ?? {},
      paymentIntentMetadata:
        ((params["payment_intent_data"] as Record<string, unknown> | undefined)?.["metadata"] as
          Stripe.Metadata | undefined) ?? {},
    });
    this.sessions.set(session.id, session);
    return session;
  }

  private readonly sessionExtras = new Map<
    string,
    {
      priceId: string;
      subscriptionMetadata: Stripe.Metadata;
      paymentIntentMetadata: Stripe.Metadata;
    }
  >();

  private subscriptionMetadata(sessionId: string): Stripe.Metadata {
    return this.sessionExtras.get(sessionId)?.subscriptionMetadata ?? {};
  }

  private paymentIntentMetadata(sessionId: string): Stripe.Metadata {
    return this.sessionExtras.get(sessionId)?.paymentIntentMetadata ?? {};
  }

  private sessionCustomer(session: Stripe.Checkout.Session): string {
    if (typeof session.customer === "string") return session.customer;
    const created = this.createCustomer({ metadata: {} });
    session.customer = created.id;
    return created.id;
  }

  private createPortalSession(params: Record<string, unknown>): Stripe.BillingPortal.Session {
    const customerId = String(params["customer"] ?? "");
    if (!this.customers.has(customerId)) throw missing("customer", customerId);
    const id = fixtures.stripeId("bps");
    const session = fixtures.portalSession({
      id,
      customer: customerId,
      returnUrl: (params["return_url"] as string | undefined) ?? null,
      url: `${this.baseUrl}/portal/${id}`,
    });
    this.portalSessions.set(id, session);
    return session;
  }

  /** The hosted pages: Checkout (`/checkout/:id`) and the billing portal (`/portal/:id`). */
  private page(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): void {
    const [, kind, id, action] = url.pathname.split("/");
    if (kind === "checkout" && id) {
      const session = this.sessions.get(id);
      if (!session) return sendHtml(res, 404, resultPage("Unknown Checkout session", null));
      if (req.method === "POST") {
        const outcome = new URLSearchParams(raw).get("outcome") as CheckoutOutcome | null;
        if (outcome !== "pay" && outcome !== "decline" && outcome !== "cancel") {
          return sendHtml(res, 400, resultPage("Choose pay, decline or cancel", null));
        }
        const after = this.completeCheckout(id, outcome);
        if (outcome === "cancel") return redirect(res, after.cancel_url ?? `${this.baseUrl}/`);
        if (outcome === "decline")
          return sendHtml(
            res,
            402,
            checkoutPage(after, this.priceOf(id), "Your card was declined."),
          );
        return after.success_url
          ? redirect(res, after.success_url.replace("{CHECKOUT_SESSION_ID}", after.id))
          : sendHtml(res, 200, resultPage("Payment succeeded", null));
      }
      return sendHtml(res, 200, checkoutPage(session, this.priceOf(id), null));
    }
    if (kind === "portal" && id) {
      const session = this.portalSessions.get(id);
      if (!session) return sendHtml(res, 404, resultPage("Unknown portal session", null));
      const subscriptions = [...this.subscriptions.values()].filter(
        (subscription) => subscription.customer === session.customer,
      );
      if (req.method === "POST" && action) {
        const subscriptionId = new URLSearchParams(raw).get("subscription") ?? "";
        if (!subscriptions.some((subscription) => subscription.id === subscriptionId)) {
          return sendHtml(res, 404, resultPage("Unknown subscription", session.return_url));
        }
        if (action === "cancel-at-period-end") this.cancelSubscription(subscriptionId, true);
        else if (action === "cancel-now") this.cancelSubscription(subscriptionId, false);
        else if (action === "resume") this.resumeSubscription(subscriptionId);
        return redirect(res, `${this.baseUrl}/portal/${id}`);
      }
      return sendHtml(res, 200, portalPage(session, subscriptions));
    }
    // Stand-ins for the app's own pages, for `pnpm dev` to send Checkout back to.
    if (kind === "done") {
      return sendHtml(res, 200, resultPage("Paid. The app hears it from Stripe's webhook.", null));
    }
    if (kind === "canceled") return sendHtml(res, 200, resultPage("Checkout canceled", null));
    sendHtml(res, 404, resultPage("Local Stripe test server", null));
  }

  private priceOf(sessionId: string): Stripe.Price | undefined {
    return this.prices.get(this.sessionExtras.get(sessionId)?.priceId ?? "");
  }

  /** Stops listening and stops retrying deliveries. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function addInterval(start: number, interval: Stripe.Price.Recurring.Interval): number {
  const date = new Date(start * 1000);
  if (interval === "year") date.setUTCFullYear(date.getUTCFullYear() + 1);
  else if (interval === "month") date.setUTCMonth(date.getUTCMonth() + 1);
  else if (interval === "week") date.setUTCDate(date.getUTCDate() + 7);
  else date.setUTCDate(date.getUTCDate() + 1);
  return Math.floor(date.getTime() / 1000);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(html);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location });
  res.end();
}
