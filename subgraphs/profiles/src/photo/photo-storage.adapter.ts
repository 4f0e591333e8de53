import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { DownloadSigner } from "./download-signer.adapter.ts";

/** Where photos are stored, from the S3_* and PHOTO_CDN_BASE_URL variables. */
export interface PhotoStorageSettings {
  /** An S3-compatible endpoint (MinIO, s3rver); AWS when absent. */
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  forcePathStyle: boolean;
  /** Serve `<cdnBaseUrl>/<key>` instead of presigned links. */
  cdnBaseUrl?: string | undefined;
}

/** A presigned POST: the form's action URL and the fields it must carry before the file. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

/** How long a download link works. */
const DOWNLOAD_URL_TTL_SECONDS = 15 * 60;

/** The photo bucket: presigned uploads and downloads, and the objects themselves. */
export class PhotoStorage {
  private readonly s3: S3Client;
  private readonly downloads: DownloadSigner;

  constructor(private readonly settings: PhotoStorageSettings) {
    const { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle } = settings;
    this.s3 = new S3Client({
      region,
      forcePathStyle,
      ...(endpoint ? { endpoint } : {}),
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    });
    this.downloads = new DownloadSigner(this.s3, settings.bucket, DOWNLOAD_URL_TTL_SECONDS);
  }

  /**
   * A presigned POST for `key` whose policy lets S3 itself refuse a body of another content
   * type or larger than `maxBytes` (confirming checks both again: not every S3 enforces them).
   */
  presignUpload(
    key: string,
    contentType: string,
    maxBytes: number,
    expiresInSeconds: number,
  ): Promise<PresignedUpload> {
    return createPresignedPost(this.s3, {
      Bucket: this.settings.bucket,
      Key: key,
      Fields: { "Content-Type": contentType },
      Conditions: [
        ["content-length-range", 1, maxBytes],
        ["eq", "$Content-Type", contentType],
      ],
      Expires: expiresInSeconds,
    });
  }

  /** The stored size of `key`, or null when there is no such object. */
  async sizeOf(key: string): Promise<number | null> {
    try {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === "NotFound") {
        return null;
      }
      throw error;
    }
  }

  async read(key: string): Promise<Buffer> {
    const object = await this.s3.send(
      new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }),
    );
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  async write(key: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        // Keys are never reused for other bytes, so caches may keep them.
        CacheControl: "public, max-age=31536000, immutable",
      }),
    );
  }

  /** Deletes the objects at `keys`; keys with no object are fine. */
  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.s3.send(
      new DeleteObjectsCommand({
        Bucket: this.settings.bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    );
  }

  /** Deletes every object whose key starts with `prefix`. */
  async deleteUnder(prefix: string): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.settings.bucket,
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      await this.delete((page.Contents ?? []).flatMap((object) => object.Key ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** A download URL for `key`: on the CDN when configured, otherwise a short-lived presigned GET. */
  downloadUrl(key: string): Promise<string> {
    const { cdnBaseUrl } = this.settings;
    if (cdnBaseUrl) return Promise.resolve(`${cdnBaseUrl.replace(/\/$/, "")}/${key}`);
    return this.downloads.sign(key);
  }

  close(): void {
    this.s3.destroy();
  }
}
