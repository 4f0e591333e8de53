import sharp from "sharp";
import { PhotoSize } from "./photo.type.ts";

/** Image formats people may upload, by what sharp detects in the bytes, with their MIME types. */
const ALLOWED_FORMATS: Record<string, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
};

/** Width in pixels of each stored size; smaller images are not enlarged. */
export const PHOTO_WIDTHS: Record<PhotoSize, number> = {
  [PhotoSize.LARGE]: 1080,
  [PhotoSize.SMALL]: 320,
};

/** What every stored size is encoded as. */
export const STORED_CONTENT_TYPE = "image/webp";

/**
 * The MIME type of `bytes` judged by their content (not by what the client declared), or null
 * when they are not a decodable JPEG, PNG or WebP image.
 */
export async function detectImageType(bytes: Buffer): Promise<string | null> {
  try {
    const { format, width, height } = await sharp(bytes).metadata();
    return width > 0 && height > 0 ? (ALLOWED_FORMATS[format] ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * Re-encodes a photo at `width` as WebP. The pixels are turned upright first (the EXIF
 * orientation would otherwise be lost), and nothing else of the original survives: sharp writes
 * no metadata (EXIF, GPS, XMP, ICC) unless asked to keep it.
 */
export function renderPhoto(bytes: Buffer, width: number): Promise<Buffer> {
  return sharp(bytes)
    .rotate()
    .resize({ width, withoutEnlargement: true })
    .webp({ quality: 82 })
    .toBuffer();
}
