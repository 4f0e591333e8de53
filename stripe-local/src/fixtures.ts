import { randomBytes } from "node:crypto";
import type Stripe from "stripe";

/**
 * Stripe objects as the local server returns them. Each builder is typed with the `stripe`
 * package's own type, so a field Stripe adds or renames fails the typecheck here rather than
 * surprising billing in production.
 */

/** An id with Stripe's prefix (`cus_`, `cs_test_`, ...) and 24 random characters. */
export function stripeId(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString("base64url").replace(/[-_]/g, "x").slice(0, 24)}`;
}

/** Now in Stripe's unit: whole seconds since the epoch. */
export const unixNow = () => Math.floor(Date.now() / 1000);

export function customer(params: {
  email: string | null;
  description: string | null;
  metadata: Stripe.Metadata;
}): Stripe.Customer {
  return {
    id: stripeId("cus"),
    object: "customer",
    balance: 0,
    created: unixNow(),
    default_source: null,
    description: params.description,
    email: params.email,
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: params.metadata,
    shipping: null,
  };
}

export function product(name: string): Stripe.Product {
  const now = unixNow();
  return {
    id: stripeId("prod"),
    object: "product",
    active: true,
    created: now,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name,
    package_dimensions: null,
    shippable: null,
    tax_details: null,
    type: "service",
    updated: now,
    url: null,
  };
}

export function price(params: {
  product: string;
  unitAmount: number;
  currency: string;
  interval: "month" | "year" | null;
  lookupKey: string | null;
  nickname: string | null;
}): Stripe.Price {
  return {
    id: stripeId("price"),
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: unixNow(),
    currency: params.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: params.lookupKey,
    metadata: {},
    nickname: params.nickname,
    product: params.product,
    recurring: params.interval
      ? {
          interval: params.interval,
          interval_count: 1,
          meter: null,
          trial_period_days: null,
          usage_type: "licensed",
        }
      : null,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: params.interval ? "recurring" : "one_time",
    unit_amount: params.unitAmount,
    unit_amount_decimal: null,
  };
}

export function checkoutSession(params: {
  mode: Stripe.Checkout.Session.Mode;
  customer: string | null;
  url: string;
  successUrl: string | null;
  cancelUrl: string | null;
  amountTotal: number;
  currency: string;
  clientReferenceId: string | null;
  metadata: Stripe.Metadata;
}): Stripe.Checkout.Session {
  const now = unixNow();
  return {
    id: stripeId("cs_test"),
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: params.amountTotal,
    amount_total: params.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: params.cancelUrl,
    client_reference_id: params.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency: params.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: params.customer,
    customer_account: null,
    customer_creation: params.customer ? null : "if_required",
    customer_details: null,
    customer_email: null,
    discounts: [],
    expires_at: now + 24 * 3600,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: params.metadata,
    mode: params.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: params.mode === "subscription" ? "always" : null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: params.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: params.url,
    wallet_options: null,
  };
}

export function subscription(params: {
  customer: string;
  price: Stripe.Price;
  periodStart: number;
  periodEnd: number;
  metadata: Stripe.Metadata;
}): Stripe.Subscription {
  const id = stripeId("sub");
  const item: Stripe.SubscriptionItem = {
    id: stripeId("si"),
    object: "subscription_item",
    billing_thresholds: null,
    created: params.periodStart,
    current_period_end: params.periodEnd,
    current_period_start: params.periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: legacyPlan(params.price),
    price: params.price,
    quantity: 1,
    subscription: id,
    tax_rates: [],
  };
  return {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: params.periodStart,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: params.periodStart,
    currency: params.price.currency,
    customer: params.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: "self" },
    },
    items: {
      object: "list",
      data: [item],
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: params.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: null,
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: params.periodStart,
    status: "active",
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: null,
    trial_start: null,
  };
}

function legacyPlan(from: Stripe.Price): Stripe.Plan {
  return {
    id: from.id,
    object: "plan",
    active: true,
    amount: from.unit_amount,
    amount_decimal: null,
    billing_scheme: "per_unit",
    created: from.created,
    currency: from.currency,
    interval: from.recurring?.interval ?? "month",
    interval_count: 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: from.nickname,
    product: from.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

export function invoice(params: {
  customer: string;
  subscription: Stripe.Subscription;
  amount: number;
  currency: string;
  paid: boolean;
  billingReason: Stripe.Invoice.BillingReason;
  periodStart: number;
  periodEnd: number;
}): Stripe.Invoice {
  const now = unixNow();
  return {
    id: stripeId("in"),
    object: "invoice",
    account_country: "US",
    account_name: "Pulse (local Stripe)",
    account_tax_ids: null,
    amount_due: params.amount,
    amount_overpaid: 0,
    amount_paid: params.paid ? params.amount : 0,
    amount_remaining: params.paid ? 0 : params.amount,
    amount_shipping: 0,
    application: null,
    attempt_count: 1,
    attempted: true,
    automatic_tax: {
      disabled_reason: null,
      enabled: false,
      liability: null,
      provider: null,
      status: null,
    },
    automatically_finalizes_at: null,
    billing_reason: params.billingReason,
    collection_method: "charge_automatically",
    // Stripe makes a subscription's invoice when the period it bills begins: a renewal is
    // dated at the end of the period before, after the invoice it follows.
    created: params.periodStart,
    currency: params.currency,
    custom_fields: null,
    customer: params.customer,
    customer_account: null,
    customer_address: null,
    customer_email: null,
    customer_name: null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: now,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: "list", data: [], has_more: false, url: "/v1/invoices/lines" },
    livemode: false,
    metadata: {},
    next_payment_attempt: params.paid ? null : now + 3 * 24 * 3600,
    number: null,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: {
        metadata: params.subscription.metadata,
        subscription: params.subscription.id,
      },
      type: "subscription_details",
    },
    payment_settings: {
      default_mandate: null,
      payment_method_options: null,
      payment_method_types: null,
    },
    period_end: params.periodEnd,
    period_start: params.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: params.paid ? "paid" : "open",
    status_transitions: {
      finalized_at: now,
      marked_uncollectible_at: null,
      paid_at: params.paid ? now : null,
      voided_at: null,
    },
    subtotal: params.amount,
    subtotal_excluding_tax: params.amount,
    test_clock: null,
    total: params.amount,
    total_discount_amounts: [],
    total_excluding_tax: params.amount,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: now,
  };
}

export function paymentIntent(params: {
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Stripe.Metadata;
}): Stripe.PaymentIntent {
  const id = stripeId("pi");
  return {
    id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: params.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${id}_secret_${randomBytes(12).toString("hex")}`,
    confirmation_method: "automatic",
    created: unixNow(),
    currency: params.currency,
    customer: params.customer,
    customer_account: null,
    description: params.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: params.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "requires_payment_method",
    transfer_group: null,
  };
}

export function charge(intent: Stripe.PaymentIntent, paid: boolean): Stripe.Charge {
  return {
    id: stripeId("ch"),
    object: "charge",
    amount: intent.amount,
    amount_captured: paid ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: paid ? stripeId("txn") : null,
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: "PULSE",
    captured: paid,
    created: unixNow(),
    currency: intent.currency,
    customer: typeof intent.customer === "string" ? intent.customer : null,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: paid ? null : "card_declined",
    failure_message: paid ? null : "Your card was declined.",
    fraud_details: {},
    livemode: false,
    metadata: intent.metadata,
    on_behalf_of: null,
    outcome: null,
    paid,
    payment_intent: intent.id,
    payment_method: stripeId("pm"),
    payment_method_details: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: paid ? "succeeded" : "failed",
    transfer_data: null,
    transfer_group: null,
  };
}

export function refund(params: {
  charge: Stripe.Charge;
  amount: number;
  reason: Stripe.Refund.Reason | null;
  metadata: Stripe.Metadata;
}): Stripe.Refund {
  return {
    id: stripeId("re"),
    object: "refund",
    amount: params.amount,
    application: null,
    balance_transaction: stripeId("txn"),
    charge: params.charge.id,
    created: unixNow(),
    currency: params.charge.currency,
    customer: params.charge.customer,
    customer_account: null,
    metadata: params.metadata,
    payment_intent: params.charge.payment_intent,
    payment_method: null,
    reason: params.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
}

export function portalSession(params: {
  customer: string;
  returnUrl: string | null;
  url: string;
  id: string;
}): Stripe.BillingPortal.Session {
  return {
    id: params.id,
    object: "billing_portal.session",
    configuration: stripeId("bpc"),
    created: unixNow(),
    customer: params.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: params.returnUrl,
    url: params.url,
  };
}

/** An event as Stripe sends it to a webhook endpoint. */
export function event(
  type: Stripe.Event.Type,
  object: { id: string; object: string },
  previousAttributes?: Record<string, unknown>,
): Stripe.Event {
  return {
    id: stripeId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: unixNow(),
    data: {
      object: structuredClone(object),
      ...(previousAttributes ? { previous_attributes: previousAttributes } : {}),
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } as Stripe.Event;
}

/** The API version the local server speaks: the one the pinned `stripe` package was built for. */
export const API_VERSION = "2026-11-18.endive";
