import { describe, expect, it } from "vitest";
import { PhotoStorage } from "./photo.storage.ts";

const settings = {
  endpoint: "http://127.0.0.1:9",
  region: "us-east-1",
  bucket: "photos",
  accessKeyId: "key",
  secretAccessKey: "secret",
  forcePathStyle: true,
};

describe("photo download URLs", () => {
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
