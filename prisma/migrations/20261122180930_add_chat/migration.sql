-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "chat";

-- CreateTable
CREATE TABLE "chat"."conversation" (
    "id" UUID NOT NULL,
    "match_id" UUID NOT NULL,
    "user_low" UUID NOT NULL,
    "user_high" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    "closed_at" TIMESTAMPTZ(3),
    "closed_reason" TEXT,

    CONSTRAINT "conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat"."conversation_participant" (
    "conversation_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL,
    "unread_count" INTEGER NOT NULL DEFAULT 0,
    "read_seq" BIGINT NOT NULL DEFAULT 0,
    "hidden_at" TIMESTAMPTZ(3),

    CONSTRAINT "conversation_participant_pkey" PRIMARY KEY ("conversation_id","user_id")
);

-- CreateTable
CREATE TABLE "chat"."message" (
    "id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "sender_id" UUID NOT NULL,
    "client_message_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat"."read_marker" (
    "conversation_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "read_seq" BIGINT NOT NULL,
    "read_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "read_marker_pkey" PRIMARY KEY ("conversation_id","user_id","read_seq")
);

-- CreateTable
CREATE TABLE "chat"."outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat"."inbox_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "conversation_match_id_key" ON "chat"."conversation"("match_id");

-- CreateIndex
CREATE INDEX "conversation_user_low_user_high_idx" ON "chat"."conversation"("user_low", "user_high");

-- CreateIndex
CREATE INDEX "conversation_participant_list_idx" ON "chat"."conversation_participant"("user_id", "last_activity_at" DESC, "conversation_id" DESC) WHERE (hidden_at IS NULL);

-- CreateIndex
CREATE INDEX "message_conversation_id_sent_at_idx" ON "chat"."message"("conversation_id", "sent_at");

-- CreateIndex
CREATE UNIQUE INDEX "message_conversation_id_seq_key" ON "chat"."message"("conversation_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "message_sender_id_client_message_id_key" ON "chat"."message"("sender_id", "client_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "chat"."outbox_event"("event_id");

-- CreateIndex
CREATE INDEX "outbox_event_unpublished_idx" ON "chat"."outbox_event"("id") WHERE (published_at IS NULL);

-- AddForeignKey
ALTER TABLE "chat"."conversation_participant" ADD CONSTRAINT "conversation_participant_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "chat"."conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat"."message" ADD CONSTRAINT "message_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "chat"."conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
