-- Extensions for discovery's geo index, written by hand: Prisma's diff does not track
-- extensions (without its postgresqlExtensions preview).
CREATE EXTENSION IF NOT EXISTS "cube";
CREATE EXTENSION IF NOT EXISTS "earthdistance";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "discovery";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "profiles";

-- CreateEnum
CREATE TYPE "profiles"."Gender" AS ENUM ('FEMALE', 'MALE', 'NON_BINARY');

-- CreateEnum
CREATE TYPE "profiles"."PhotoStatus" AS ENUM ('PENDING', 'READY');

-- CreateTable
CREATE TABLE "discovery"."candidate" (
    "user_id" UUID NOT NULL,
    "gender" TEXT NOT NULL,
    "interested_in" TEXT[],
    "birthdate" DATE NOT NULL,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "earth" cube,
    "match_key" cube,
    "min_age" INTEGER NOT NULL,
    "max_age" INTEGER NOT NULL,
    "max_distance_km" INTEGER NOT NULL,
    "genders" TEXT[],
    "completeness" DOUBLE PRECISION NOT NULL,
    "tier" TEXT NOT NULL DEFAULT 'FREE',
    "last_active_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "profile_version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "candidate_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "discovery"."block" (
    "blocker_id" UUID NOT NULL,
    "blocked_id" UUID NOT NULL,
    "active" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "block_pkey" PRIMARY KEY ("blocker_id","blocked_id")
);

-- CreateTable
CREATE TABLE "discovery"."swipe" (
    "swiper_id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "swipe_pkey" PRIMARY KEY ("swiper_id","target_id")
);

-- CreateTable
CREATE TABLE "discovery"."match" (
    "id" UUID NOT NULL,
    "user_low" UUID NOT NULL,
    "user_high" UUID NOT NULL,
    "matched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "ended_reason" TEXT,

    CONSTRAINT "match_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "discovery"."deleted_user" (
    "user_id" UUID NOT NULL,
    "deleted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deleted_user_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "discovery"."outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "discovery"."inbox_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "profiles"."profile" (
    "user_id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "username_key" TEXT NOT NULL,
    "bio" TEXT,
    "birthdate" DATE NOT NULL,
    "gender" "profiles"."Gender" NOT NULL,
    "interested_in" "profiles"."Gender"[],
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "city" TEXT,
    "country" TEXT,
    "min_age" INTEGER NOT NULL,
    "max_age" INTEGER NOT NULL,
    "max_distance_km" INTEGER NOT NULL,
    "preferred_genders" "profiles"."Gender"[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "profile_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "profiles"."photo" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" "profiles"."PhotoStatus" NOT NULL DEFAULT 'PENDING',
    "content_type" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "upload_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "position" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMPTZ(3),

    CONSTRAINT "photo_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profiles"."block" (
    "blocker_id" UUID NOT NULL,
    "blocked_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "block_pkey" PRIMARY KEY ("blocker_id","blocked_id")
);

-- CreateTable
CREATE TABLE "profiles"."outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "profiles"."inbox_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "candidate_match_key_female_idx" ON "discovery"."candidate" USING GIST ("match_key") WHERE (gender = 'FEMALE');

-- CreateIndex
CREATE INDEX "candidate_match_key_male_idx" ON "discovery"."candidate" USING GIST ("match_key") WHERE (gender = 'MALE');

-- CreateIndex
CREATE INDEX "candidate_match_key_non_binary_idx" ON "discovery"."candidate" USING GIST ("match_key") WHERE (gender = 'NON_BINARY');

-- CreateIndex
CREATE INDEX "block_blocked_id_blocker_id_idx" ON "discovery"."block"("blocked_id", "blocker_id");

-- CreateIndex
CREATE INDEX "swipe_target_id_created_at_idx" ON "discovery"."swipe"("target_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "match_user_low_matched_at_id_idx" ON "discovery"."match"("user_low", "matched_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "match_user_high_matched_at_id_idx" ON "discovery"."match"("user_high", "matched_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "match_user_low_user_high_key" ON "discovery"."match"("user_low", "user_high");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "discovery"."outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_unpublished_idx" ON "discovery"."outbox_event"("id") WHERE (published_at IS NULL);

-- CreateIndex
CREATE UNIQUE INDEX "profile_username_key_key" ON "profiles"."profile"("username_key");

-- CreateIndex
CREATE INDEX "photo_user_id_status_position_idx" ON "profiles"."photo"("user_id", "status", "position");

-- CreateIndex
CREATE INDEX "block_blocked_id_idx" ON "profiles"."block"("blocked_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "profiles"."outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_unpublished_idx" ON "profiles"."outbox_event"("id") WHERE (published_at IS NULL);

-- AddForeignKey
ALTER TABLE "profiles"."photo" ADD CONSTRAINT "photo_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "profiles"."profile"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;
