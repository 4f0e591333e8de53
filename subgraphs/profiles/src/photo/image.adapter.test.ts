import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { detectImageType, renderPhoto } from "./image.adapter.ts";

const image = (format: "jpeg" | "png" | "webp", width = 40, height = 30) =>
  sharp({ create: { width, height, channels: 3, background: "#c33" } })
    .toFormat(format)
    .toBuffer();

describe("image processing", () => {
  it("detects the type by content", async () => {
    expect(await detectImageType(await image("jpeg"))).toBe("image/jpeg");
    expect(await detectImageType(await image("png"))).toBe("image/png");
    expect(await detectImageType(await image("webp"))).toBe("image/webp");
    expect(await detectImageType(Buffer.from("GIF89a not really"))).toBeNull();
    expect(
      await detectImageType(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>")),
    ).toBeNull();
  });

  it("drops every bit of metadata, turns the image upright and never enlarges it", async () => {
    const original = await sharp(await image("jpeg", 400, 200))
      .withExif({ IFD0: { Make: "Phone" }, IFD3: { GPSLatitudeRef: "N" } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const small = await sharp(await renderPhoto(original, 100)).metadata();
    expect(small).toMatchObject({ format: "webp", width: 100, height: 200 });
    expect(small.exif).toBeUndefined();
    expect(small.orientation).toBeUndefined();
    expect(small.icc).toBeUndefined();
    expect((await sharp(await renderPhoto(original, 1080)).metadata()).width).toBe(200);
  });
});
