import { randomUUID } from "node:crypto";
import type { Photo as PhotoRow } from "@pulse/db";
import { badUserInput, notFound, type Logger, type Viewer } from "@pulse/platform/server";
import {
  isUuid,
  parseInput,
  type Outbox,
  type PrismaClient,
  type PrismaTransaction,
} from "@pulse/platform/subgraph";
import { completeness } from "../profile/completeness.rules.ts";
import type { ProfileCards } from "../profile/profile-cards.service.ts";
import { countVisiblePhotos, recordProfileChanged } from "../profile/profile-changed.service.ts";
import {
  detectImageType,
  PHOTO_WIDTHS,
  renderPhoto,
  STORED_CONTENT_TYPE,
} from "./image.adapter.ts";
import { photoObjectKeys, sizeKey, uploadKey } from "./photo-keys.rules.ts";
import type { PhotoModerator } from "./photo-moderation.adapter.ts";
import type { PhotoStorage } from "./photo-storage.adapter.ts";
import { PhotoSize, UploadMethod } from "./photo.type.ts";
import { MAX_PHOTOS, photoUploadInputSchema } from "./photo.input.ts";

/** How long a presigned upload works; a pending photo stops counting toward the limit after. */
const UPLOAD_TTL_SECONDS = 10 * 60;

export interface PhotoUploadGrant {
  photoId: string;
  uploadUrl: string;
  uploadMethod: UploadMethod;
  uploadFields: { name: string; value: string }[];
  expiresAt: Date;
}

export interface PhotoServiceDeps {
  prisma: PrismaClient;
  outbox: Outbox;
  storage: PhotoStorage;
  moderator: PhotoModerator;
  logger: Logger;
  cards: Pick<ProfileCards, "invalidate">;
}

/**
 * A person's photos: presigned uploads, checking and cleaning what was uploaded before it becomes
 * visible, ordering and deletion. Only the owner touches their photos; to anyone else another
 * person's photo id does not exist (NOT_FOUND).
 */
export class PhotoService {
  constructor(private readonly deps: PhotoServiceDeps) {}

  /**
   * Issues a presigned POST for one photo. Pending uploads that have not expired count toward
   * the limit of 9; expired ones are deleted on the way.
   *
   * @throws NOT_FOUND without a profile; BAD_USER_INPUT for a bad type or size, or at the limit.
   */
  async requestUpload(
    viewer: Viewer,
    input: { contentType: string; byteSize: number },
  ): Promise<PhotoUploadGrant> {
    const { contentType, byteSize } = parseInput(photoUploadInputSchema, input, "input");
    const photoId = randomUUID();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + UPLOAD_TTL_SECONDS * 1000);
    const expired = await this.deps.prisma.$transaction(async (tx) => {
      await this.lockProfile(tx, viewer.id);
      const stale = await tx.photo.findMany({
        where: { userId: viewer.id, status: "PENDING", uploadExpiresAt: { lte: now } },
        select: { id: true },
      });
      await tx.photo.deleteMany({ where: { id: { in: stale.map((photo) => photo.id) } } });
      if ((await tx.photo.count({ where: { userId: viewer.id } })) >= MAX_PHOTOS) {
        throw badUserInput("input", `You can have at most ${MAX_PHOTOS} photos`);
      }
      await tx.photo.create({
        data: { id: photoId, userId: viewer.id, contentType, byteSize, uploadExpiresAt: expiresAt },
      });
      return stale;
    });
    this.deleteObjectsLater(expired.flatMap((photo) => photoObjectKeys(viewer.id, photo.id)));
    const upload = await this.deps.storage.presignUpload(
      uploadKey(viewer.id, photoId),
      contentType,
      byteSize,
      UPLOAD_TTL_SECONDS,
    );
    return {
      photoId,
      uploadUrl: upload.url,
      uploadMethod: UploadMethod.POST,
      uploadFields: Object.entries(upload.fields).map(([name, value]) => ({ name, value })),
      expiresAt,
    };
  }

  /**
   * Makes an uploaded photo visible once the stored bytes are a JPEG, PNG or WebP image within
   * the declared size that moderation allows: stores it re-encoded without metadata in every
   * size, deletes the upload, and only then shows it, last in the order. A confirmed photo is
   * returned as it is; a rejected upload is deleted along with its photo.
   *
   * @throws NOT_FOUND for a photo that is not the viewer's; BAD_USER_INPUT on `photoId` when
   *   nothing was uploaded, the upload is rejected, or the viewer has 9 photos already.
   */
  async confirmUpload(viewer: Viewer, photoId: string): Promise<PhotoRow> {
    const photo = await this.findOwn(viewer, photoId);
    if (photo.status === "READY") return photo;
    const { storage, moderator } = this.deps;
    const key = uploadKey(viewer.id, photoId);
    const size = await storage.sizeOf(key);
    if (size === null) {
      // A concurrent confirm may have finished, and deleted the upload, meanwhile.
      const current = await this.findOwn(viewer, photoId);
      if (current.status === "READY") return current;
      throw badUserInput("photoId", "Nothing has been uploaded for this photo yet");
    }
    if (size > photo.byteSize) return this.reject(photo, "The upload is larger than declared");
    const bytes = await storage.read(key);
    if (!(await detectImageType(bytes))) {
      return this.reject(photo, "The upload is not a JPEG, PNG or WebP image");
    }
    const verdict = await moderator.review({ userId: viewer.id, photoId, bytes });
    if (!verdict.allowed) return this.reject(photo, `The photo was rejected: ${verdict.reason}`);

    const sizes = Object.values(PhotoSize);
    // Headers can look right over a body that does not decode (or decodes to too many pixels).
    const rendered = await Promise.all(
      sizes.map((photoSize) => renderPhoto(bytes, PHOTO_WIDTHS[photoSize])),
    ).catch(() => null);
    if (!rendered) return this.reject(photo, "The upload is not a readable image");
    await Promise.all(
      sizes.map((photoSize, index) =>
        storage.write(
          sizeKey(viewer.id, photoId, photoSize),
          rendered[index]!,
          STORED_CONTENT_TYPE,
        ),
      ),
    );
    await storage.delete([key]);
    return this.changePhotos(viewer.id, async (tx, visible) => {
      if (visible >= MAX_PHOTOS) {
        throw badUserInput("photoId", `You can have at most ${MAX_PHOTOS} photos`);
      }
      // Conditional, so a concurrent confirm of the same photo cannot place it twice.
      const { count } = await tx.photo.updateMany({
        where: { id: photo.id, status: "PENDING" },
        data: { status: "READY", position: visible, confirmedAt: new Date() },
      });
      const confirmed = await tx.photo.findUniqueOrThrow({ where: { id: photo.id } });
      return { result: confirmed, visibleAfter: visible + count };
    });
  }

  /** Moves a visible photo to the front, which makes it the primary one. */
  async setPrimary(viewer: Viewer, photoId: string): Promise<PhotoRow> {
    const photo = await this.findOwn(viewer, photoId, "READY");
    const [primary] = await this.arrange(viewer.id, (visible) => [
      ...visible.filter((other) => other.id === photo.id),
      ...visible.filter((other) => other.id !== photo.id),
    ]);
    return primary!;
  }

  /**
   * Puts the viewer's visible photos in the given order.
   *
   * @throws BAD_USER_INPUT on `photoIds` unless it lists each visible photo exactly once.
   */
  reorder(viewer: Viewer, photoIds: string[]): Promise<PhotoRow[]> {
    return this.arrange(viewer.id, (visible) => {
      const byId = new Map(visible.map((photo) => [photo.id, photo]));
      const ordered = photoIds.flatMap((id) => byId.get(id) ?? []);
      const exact = ordered.length === visible.length && new Set(photoIds).size === visible.length;
      if (!exact || photoIds.length !== visible.length) {
        throw badUserInput("photoIds", "List each of your photos exactly once");
      }
      return ordered;
    });
  }

  /** Deletes one of the viewer's photos (pending or visible), then its stored objects. */
  async delete(viewer: Viewer, photoId: string): Promise<true> {
    const photo = await this.findOwn(viewer, photoId);
    await this.changePhotos(viewer.id, async (tx, visible) => {
      await tx.photo.delete({ where: { id: photo.id } });
      if (photo.status !== "READY") return { result: undefined, visibleAfter: visible };
      // Close the gap, so positions stay 0..n-1 and the front photo stays the primary one.
      await tx.photo.updateMany({
        where: { userId: viewer.id, status: "READY", position: { gt: photo.position! } },
        data: { position: { decrement: 1 } },
      });
      return { result: undefined, visibleAfter: visible - 1 };
    });
    this.deleteObjectsLater(photoObjectKeys(viewer.id, photo.id));
    return true;
  }

  /** A stored size's download URL. */
  url(photo: PhotoRow, size: PhotoSize): Promise<string> {
    return this.deps.storage.downloadUrl(sizeKey(photo.userId, photo.id, size));
  }

  /** The viewer's photo `photoId` (in `status`, if given), or NOT_FOUND. */
  private async findOwn(viewer: Viewer, photoId: string, status?: "READY"): Promise<PhotoRow> {
    const photo = isUuid(photoId)
      ? await this.deps.prisma.photo.findFirst({
          where: { id: photoId, userId: viewer.id, ...(status ? { status } : {}) },
        })
      : null;
    if (!photo) throw notFound("No such photo");
    return photo;
  }

  /**
   * Gives the visible photos of `userId` the positions 0..n-1 in the order `order` puts them,
   * under the lock of their profile; only the photos that move are written.
   */
  private arrange(userId: string, order: (visible: PhotoRow[]) => PhotoRow[]): Promise<PhotoRow[]> {
    return this.changeCard(userId, async (tx) => {
      await this.lockProfile(tx, userId);
      const visible = await tx.photo.findMany({
        where: { userId, status: "READY" },
        orderBy: { position: "asc" },
      });
      const placed = order(visible).map((photo, position) => ({ ...photo, position }));
      const previous = new Map(visible.map((photo) => [photo.id, photo.position]));
      for (const { id, position } of placed) {
        if (previous.get(id) !== position) {
          await tx.photo.update({ where: { id }, data: { position } });
        }
      }
      return placed;
    });
  }

  /** Deletes a rejected upload and its photo, then reports why to the client. */
  private async reject(photo: PhotoRow, reason: string): Promise<never> {
    await this.deps.prisma.photo.deleteMany({ where: { id: photo.id, status: "PENDING" } });
    this.deleteObjectsLater(photoObjectKeys(photo.userId, photo.id));
    throw badUserInput("photoId", reason);
  }

  /**
   * Runs a change to the photos of `userId` under the lock of their profile row, and when it
   * alters completeness publishes `profile.changed` with the next version, all in one transaction.
   */
  private changePhotos<Result>(
    userId: string,
    change: (
      tx: PrismaTransaction,
      visibleBefore: number,
    ) => Promise<{ result: Result; visibleAfter: number }>,
  ): Promise<Result> {
    return this.changeCard(userId, async (tx) => {
      const profile = await this.lockProfile(tx, userId);
      const before = await countVisiblePhotos(tx, userId);
      const { result, visibleAfter } = await change(tx, before);
      if (completeness(profile, before) !== completeness(profile, visibleAfter)) {
        const next = await tx.profile.update({
          where: { userId },
          data: { version: { increment: 1 } },
        });
        await recordProfileChanged(tx, this.deps.outbox, next);
      }
      return result;
    });
  }

  /** Runs a transaction that changes what others see of `userId`, then drops their cached card. */
  private async changeCard<Result>(
    userId: string,
    change: (tx: PrismaTransaction) => Promise<Result>,
  ): Promise<Result> {
    const result = await this.deps.prisma.$transaction(change);
    await this.deps.cards.invalidate(userId);
    return result;
  }

  /**
   * Locks the person's profile row until the transaction ends, so concurrent photo changes of
   * one person (limit checks, positions) happen one at a time.
   *
   * @throws NOT_FOUND when the person has no profile.
   */
  private async lockProfile(
    tx: PrismaTransaction,
    userId: string,
  ): Promise<{ bio: string | null; latitude: number | null }> {
    const [profile] = await tx.$queryRaw<{ bio: string | null; latitude: number | null }[]>`
      SELECT bio, latitude FROM profiles.profile WHERE user_id = ${userId}::uuid FOR UPDATE`;
    if (!profile) throw notFound("Create your profile first");
    return profile;
  }

  /** Deletes objects after the change that orphaned them committed; a failure is only logged. */
  private deleteObjectsLater(keys: string[]): void {
    if (keys.length === 0) return;
    this.deps.storage
      .delete(keys)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error, keys }, "could not delete photo objects"),
      );
  }
}
