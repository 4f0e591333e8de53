-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "competitions";

-- Written by hand (Prisma does not track standalone sequences): every write of a participant
-- takes the next version, and the Redis leaderboard applies a participant's writes in this order.
CREATE SEQUENCE "competitions"."score_version_seq";

-- CreateTable
CREATE TABLE "competitions"."competition" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "metric" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "entry_fee_cents" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "max_participants" INTEGER,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "participant_count" INTEGER NOT NULL DEFAULT 0,
    "ratings_applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "competition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "competitions"."participant" (
    "competition_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "score_milli" BIGINT NOT NULL DEFAULT 0,
    "version" BIGINT NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participant_pkey" PRIMARY KEY ("competition_id","user_id")
);

-- CreateTable
CREATE TABLE "competitions"."entry" (
    "payment_id" UUID NOT NULL,
    "competition_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "paid_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "entry_pkey" PRIMARY KEY ("payment_id")
);

-- CreateTable
CREATE TABLE "competitions"."activity_record" (
    "user_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value_milli" BIGINT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "activity_record_pkey" PRIMARY KEY ("user_id","source","external_id")
);

-- CreateTable
CREATE TABLE "competitions"."rating" (
    "user_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL DEFAULT 1000,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rating_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "competitions"."rating_change" (
    "competition_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "before" INTEGER NOT NULL,
    "after" INTEGER NOT NULL,
    "rank" INTEGER NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rating_change_pkey" PRIMARY KEY ("competition_id","user_id")
);

-- CreateTable
CREATE TABLE "competitions"."outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "competitions"."inbox_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "competition_starts_at_id_idx" ON "competitions"."competition"("starts_at", "id");

-- CreateIndex
CREATE INDEX "competition_unrated_idx" ON "competitions"."competition"("ends_at") WHERE (ratings_applied_at IS NULL);

-- CreateIndex
CREATE INDEX "participant_user_id_idx" ON "competitions"."participant"("user_id");

-- CreateIndex
CREATE INDEX "participant_competition_id_score_milli_user_id_idx" ON "competitions"."participant"("competition_id", "score_milli" DESC, "user_id" DESC);

-- CreateIndex
CREATE INDEX "entry_competition_id_user_id_idx" ON "competitions"."entry"("competition_id", "user_id");

-- CreateIndex
CREATE INDEX "entry_user_id_idx" ON "competitions"."entry"("user_id");

-- CreateIndex
CREATE INDEX "activity_record_user_id_metric_started_at_idx" ON "competitions"."activity_record"("user_id", "metric", "started_at");

-- CreateIndex
CREATE INDEX "rating_rating_user_id_idx" ON "competitions"."rating"("rating" DESC, "user_id" DESC);

-- CreateIndex
CREATE INDEX "rating_change_user_id_idx" ON "competitions"."rating_change"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "competitions"."outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_unpublished_idx" ON "competitions"."outbox_event"("id") WHERE (published_at IS NULL);

-- AddForeignKey
ALTER TABLE "competitions"."participant" ADD CONSTRAINT "participant_competition_id_fkey" FOREIGN KEY ("competition_id") REFERENCES "competitions"."competition"("id") ON DELETE CASCADE ON UPDATE CASCADE;
