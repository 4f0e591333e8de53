import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DownloadSigner } from "./download-signer.adapter.ts";
import { PhotoStorage } from "./photo-storage.adapter.ts";

const settings = {
  endpoint: "http://127.0.0.1:9",
  region: "us-east-1",
  bucket: "photos",
  accessKeyId: "key",
  secretAccessKey: "secret",
  forcePathStyle: true,
};

describe("photo download URLs", () => {
  afterEach(() => vi.useRealTimers());

  it.each([
    { endpoint: "http://127.0.0.1:9", forcePathStyle: true },
    { endpoint: "https://storage.example:8443", forcePathStyle: false },
    { endpoint: undefined, forcePathStyle: false },
  ])("are exactly what getSignedUrl makes ($endpoint)", async ({ endpoint, forcePathStyle }) => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-04T03:02:01Z") });
    const s3 = new S3Client({
      region: "eu-central-1",
      forcePathStyle,
      ...(endpoint ? { endpoint } : {}),
      credentials: { accessKeyId: "key", secretAccessKey: "secret" },
    });
    const signer = new DownloadSigner(s3, "photos", 900);
    for (const key of ["photos/u/p/large.webp", "photos/a b/(1)+é!.webp"]) {
      const expected = await getSignedUrl(
        s3,
        new GetObjectCommand({ Bucket: "photos", Key: key }),
        {
          expiresIn: 900,
        },
      );
      expect(await signer.sign(key)).toBe(expected);
    }
    s3.destroy();
  });

  it("are short-lived presigned GETs by default", async () => {
    const storage = new PhotoStorage(settings);
    const url = new URL(await storage.downloadUrl("photos/u/p/large.webp"));
    expect(url.pathname).toBe("/photos/photos/u/p/large.webp");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    storage.close();
  });

  it("are plain CDN links when PHOTO_CDN_BASE_URL is set", async () => {
    const storage = new PhotoStorage({ ...settings, cdnBaseUrl: "https://cdn.example/media/" });
    expect(await storage.downloadUrl("photos/u/p/small.webp")).toBe(
      "https://cdn.example/media/photos/u/p/small.webp",
    );
    storage.close();
  });
});
