-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "billing";

-- CreateTable
CREATE TABLE "billing"."customer" (
    "user_id" UUID NOT NULL,
    "stripe_customer_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "billing"."membership" (
    "user_id" UUID NOT NULL,
    "stripe_subscription_id" TEXT,
    "plan_id" TEXT,
    "status" TEXT,
    "is_premium" BOOLEAN NOT NULL DEFAULT false,
    "current_period_end" TIMESTAMPTZ(3),
    "cancel_at_period_end" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "billing"."competition" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "entry_fee_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "competition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."payment" (
    "id" UUID NOT NULL,
    "user_id" UUID,
    "kind" TEXT NOT NULL,
    "competition_id" UUID,
    "amount_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "stripe_checkout_session_id" TEXT,
    "stripe_payment_intent_id" TEXT,
    "stripe_invoice_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),
    "refunded_at" TIMESTAMPTZ(3),
    "refund_requested_at" TIMESTAMPTZ(3),

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."stripe_event" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."inbox_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customer_stripe_customer_id_key" ON "billing"."customer"("stripe_customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "membership_stripe_subscription_id_key" ON "billing"."membership"("stripe_subscription_id");

-- CreateIndex
CREATE INDEX "membership_status_idx" ON "billing"."membership"("status");

-- CreateIndex
CREATE UNIQUE INDEX "payment_stripe_checkout_session_id_key" ON "billing"."payment"("stripe_checkout_session_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_stripe_payment_intent_id_key" ON "billing"."payment"("stripe_payment_intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_stripe_invoice_id_key" ON "billing"."payment"("stripe_invoice_id");

-- CreateIndex
CREATE INDEX "payment_user_id_created_at_id_idx" ON "billing"."payment"("user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "payment_competition_id_user_id_idx" ON "billing"."payment"("competition_id", "user_id");

-- CreateIndex
CREATE INDEX "payment_status_idx" ON "billing"."payment"("status");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "billing"."outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_unpublished_idx" ON "billing"."outbox_event"("id") WHERE (published_at IS NULL);
