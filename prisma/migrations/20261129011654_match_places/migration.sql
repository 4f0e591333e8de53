-- Each match gets a place among both of its people's matches, so that a resumed matchCreated
-- replays by place instead of by matched_at (stamped before commit, so not commit order).

-- AlterTable: nullable until the stored matches are numbered below.
ALTER TABLE "discovery"."match" ADD COLUMN     "high_position" BIGINT,
ADD COLUMN     "low_position" BIGINT;

-- CreateTable
CREATE TABLE "discovery"."match_counter" (
    "user_id" UUID NOT NULL,
    "last_position" BIGINT NOT NULL,

    CONSTRAINT "match_counter_pkey" PRIMARY KEY ("user_id")
);

-- Number each person's stored matches in the order resumes used: matched_at, then id.
WITH "sides" AS (
    SELECT "id", "user_low" AS "user_id", true AS "low", "matched_at" FROM "discovery"."match"
    UNION ALL
    SELECT "id", "user_high", false, "matched_at" FROM "discovery"."match"
), "numbered" AS (
    SELECT "id", "low", row_number() OVER (
        PARTITION BY "user_id" ORDER BY "matched_at", "id") AS "position"
    FROM "sides"
)
UPDATE "discovery"."match" AS m
SET "low_position" = l."position", "high_position" = h."position"
FROM "numbered" AS l, "numbered" AS h
WHERE l."id" = m."id" AND l."low" AND h."id" = m."id" AND NOT h."low";

INSERT INTO "discovery"."match_counter" ("user_id", "last_position")
SELECT "user_id", max("position")
FROM (
    SELECT "user_low" AS "user_id", "low_position" AS "position" FROM "discovery"."match"
    UNION ALL
    SELECT "user_high", "high_position" FROM "discovery"."match"
) AS "places"
GROUP BY "user_id";

ALTER TABLE "discovery"."match" ALTER COLUMN "high_position" SET NOT NULL,
ALTER COLUMN "low_position" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "match_user_low_low_position_key" ON "discovery"."match"("user_low", "low_position");

-- CreateIndex
CREATE UNIQUE INDEX "match_user_high_high_position_key" ON "discovery"."match"("user_high", "high_position");
