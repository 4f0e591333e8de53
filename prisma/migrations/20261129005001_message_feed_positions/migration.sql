-- Each message gets a place in both of its people's feeds, so that messageAdded replays and
-- catches up by place instead of by sent_at (stamped before commit, so not commit order).

-- DropIndex
DROP INDEX "chat"."message_conversation_id_sent_at_idx";

-- AlterTable: nullable until the stored messages are numbered below.
ALTER TABLE "chat"."message" ADD COLUMN     "recipient_id" UUID,
ADD COLUMN     "recipient_position" BIGINT,
ADD COLUMN     "sender_position" BIGINT;

-- CreateTable
CREATE TABLE "chat"."feed_counter" (
    "user_id" UUID NOT NULL,
    "last_position" BIGINT NOT NULL,

    CONSTRAINT "feed_counter_pkey" PRIMARY KEY ("user_id")
);

-- Number the stored messages of each person's feed in the order replays used: sent_at, then
-- conversation, then seq.
UPDATE "chat"."message" AS m
SET "recipient_id" = CASE WHEN m."sender_id" = c."user_low" THEN c."user_high" ELSE c."user_low" END
FROM "chat"."conversation" AS c
WHERE c."id" = m."conversation_id";

WITH "feed" AS (
    SELECT "id", "sender_id" AS "user_id", true AS "sent", "sent_at", "conversation_id", "seq"
    FROM "chat"."message"
    UNION ALL
    SELECT "id", "recipient_id", false, "sent_at", "conversation_id", "seq"
    FROM "chat"."message"
), "numbered" AS (
    SELECT "id", "sent", row_number() OVER (
        PARTITION BY "user_id" ORDER BY "sent_at", "conversation_id", "seq") AS "position"
    FROM "feed"
)
UPDATE "chat"."message" AS m
SET "sender_position" = s."position", "recipient_position" = r."position"
FROM "numbered" AS s, "numbered" AS r
WHERE s."id" = m."id" AND s."sent" AND r."id" = m."id" AND NOT r."sent";

INSERT INTO "chat"."feed_counter" ("user_id", "last_position")
SELECT "user_id", max("position")
FROM (
    SELECT "sender_id" AS "user_id", "sender_position" AS "position" FROM "chat"."message"
    UNION ALL
    SELECT "recipient_id", "recipient_position" FROM "chat"."message"
) AS "places"
GROUP BY "user_id";

ALTER TABLE "chat"."message" ALTER COLUMN "recipient_id" SET NOT NULL,
ALTER COLUMN "recipient_position" SET NOT NULL,
ALTER COLUMN "sender_position" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "message_sender_id_sender_position_key" ON "chat"."message"("sender_id", "sender_position");

-- CreateIndex
CREATE UNIQUE INDEX "message_recipient_id_recipient_position_key" ON "chat"."message"("recipient_id", "recipient_position");
