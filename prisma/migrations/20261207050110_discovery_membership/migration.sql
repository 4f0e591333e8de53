-- CreateTable
CREATE TABLE "discovery"."membership" (
    "user_id" UUID NOT NULL,
    "is_premium" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("user_id")
);
