import { randomBytes, randomUUID } from "node:crypto";
import { createLogger, type Viewer } from "@pulse/platform/server";
import { createPrismaClient, Outbox } from "@pulse/platform/subgraph";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createBucket, LOCAL_S3_CREDENTIALS } from "../../../../scripts/lib/local-s3.ts";
import type { PhotoModerator } from "./photo-moderation.adapter.ts";
import { PhotoService } from "./photo.service.ts";
import { PhotoStorage } from "./photo-storage.adapter.ts";

const prisma = createPrismaClient(inject("databaseUrl"), { maxConnections: 2 });
const bucket = `pulse-int-${randomBytes(4).toString("hex")}`;
const storage = new PhotoStorage({
  endpoint: inject("s3Endpoint"),
  region: "us-east-1",
  bucket,
  ...LOCAL_S3_CREDENTIALS,
  forcePathStyle: true,
});
const reviewed: string[] = [];
/** A classifier that refuses everything, as a real one would refuse what it flags. */
const strictModerator: PhotoModerator = {
  async review(photo) {
    reviewed.push(photo.photoId);
    return { allowed: false, reason: "flagged by the classifier" };
  },
};
/** People whose cached card the service dropped. */
const invalidated: string[] = [];
const photos = new PhotoService({
  prisma,
  outbox: new Outbox("profiles"),
  storage,
  moderator: strictModerator,
  logger: createLogger("profiles-test", "silent"),
  cards: { invalidate: async (userId) => void invalidated.push(userId) },
});

beforeAll(() => createBucket(inject("s3Endpoint"), bucket));
afterAll(async () => {
  storage.close();
  await prisma.$disconnect();
});

async function personWithProfile(): Promise<Viewer> {
  const id = randomUUID();
  await prisma.profile.create({
    data: {
      userId: id,
      displayName: "Int",
      username: `int_${id.slice(0, 8)}`,
      usernameKey: `int_${id.slice(0, 8)}`,
      birthdate: new Date("1990-01-01T00:00:00Z"),
      gender: "MALE",
      interestedIn: ["FEMALE"],
      minAge: 18,
      maxAge: 99,
      maxDistanceKm: 50,
      preferredGenders: ["FEMALE"],
    },
  });
  return { id, role: "USER", sessionId: randomUUID() };
}

describe("photo moderation", () => {
  it("asks the moderator before a photo becomes visible, and drops what it refuses", async () => {
    const viewer = await personWithProfile();
    const bytes = await sharp({
      create: { width: 50, height: 50, channels: 3, background: "#000" },
    })
      .png()
      .toBuffer();
    const grant = await photos.requestUpload(viewer, {
      contentType: "image/png",
      byteSize: bytes.length,
    });
    const form = new FormData();
    for (const { name, value } of grant.uploadFields) form.append(name, value);
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }));
    expect((await fetch(grant.uploadUrl, { method: "POST", body: form })).ok).toBe(true);

    await expect(photos.confirmUpload(viewer, grant.photoId)).rejects.toMatchObject({
      message: "The photo was rejected: flagged by the classifier",
      extensions: { code: "BAD_USER_INPUT", field: "photoId" },
    });
    expect(reviewed).toContain(grant.photoId);
    expect(await prisma.photo.count({ where: { userId: viewer.id } })).toBe(0);
    // Nothing anyone sees changed.
    expect(invalidated).not.toContain(viewer.id);
  });
});
