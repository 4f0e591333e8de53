import { randomUUID } from "node:crypto";
import { createLogger } from "@pulse/platform/server";
import { createPrismaClient } from "@pulse/platform/subgraph";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ProfileCards } from "./profile-cards.service.ts";

const prisma = createPrismaClient(inject("databaseUrl"), { maxConnections: 2 });
const publisher = new Redis(inject("redisUrl"));
const subscriber = new Redis(inject("redisUrl"));
let cards: ProfileCards;

beforeAll(async () => {
  cards = await ProfileCards.open(prisma, {
    redisPrefix: `${inject("redisPrefix")}cards-${randomUUID()}:`,
    publisher,
    subscriber,
    maxEntries: 100,
    ttlMs: 60_000,
    logger: createLogger("profiles-test", "silent"),
  });
});
afterAll(async () => {
  publisher.disconnect();
  subscriber.disconnect();
  await prisma.$disconnect();
});

/** A person with every optional field set, two visible photos out of order and a pending one. */
async function personWithPhotos(): Promise<string> {
  const userId = randomUUID();
  await prisma.profile.create({
    data: {
      userId,
      displayName: "Card",
      username: `card_${userId.slice(0, 8)}`,
      usernameKey: `card_${userId.slice(0, 8)}`,
      bio: "Runs at dawn",
      birthdate: new Date("1991-02-28T00:00:00Z"),
      gender: "FEMALE",
      interestedIn: ["MALE", "NON_BINARY"],
      latitude: 52.52,
      longitude: 13.405,
      city: "Berlin",
      country: "DE",
      minAge: 25,
      maxAge: 40,
      maxDistanceKm: 30,
      preferredGenders: ["MALE"],
    },
  });
  const photo = (position: number | null, status: "READY" | "PENDING") => ({
    id: randomUUID(),
    userId,
    status,
    contentType: "image/jpeg",
    byteSize: 1000 + (position ?? 9),
    uploadExpiresAt: new Date("2026-01-01T10:00:00.123Z"),
    position,
    confirmedAt: status === "READY" ? new Date("2026-01-01T10:01:00.456Z") : null,
  });
  await prisma.photo.createMany({
    data: [photo(1, "READY"), photo(null, "PENDING"), photo(0, "READY")],
  });
  return userId;
}

describe("profile cards", () => {
  it("read in one statement what Prisma's typed queries read: the profile, its visible photos in order", async () => {
    const userId = await personWithPhotos();
    const [card, none] = await cards.loader().loadMany([userId, randomUUID()]);

    const profile = await prisma.profile.findUniqueOrThrow({ where: { userId } });
    const photos = await prisma.photo.findMany({
      where: { userId, status: "READY" },
      orderBy: { position: "asc" },
    });
    expect(card).toEqual({ profile, photos });
    expect(photos.map((photo) => photo.position)).toEqual([0, 1]);
    expect(none).toEqual({ profile: null, photos: [] });
  });
});
