import { Field, InputType, Int } from "type-graphql";
import { z } from "zod";

@InputType("PhotoUploadInput", { description: "What the client is about to upload." })
export class PhotoUploadInput {
  @Field(() => String, { description: "`image/jpeg`, `image/png` or `image/webp`." })
  contentType!: string;

  @Field(() => Int, { description: "Size of the file in bytes, at most 10 MiB." })
  byteSize!: number;
}

/** The most photos one person may have, counting pending uploads that have not expired. */
export const MAX_PHOTOS = 9;
/** The largest upload accepted: 10 MiB. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** What clients may declare they upload (the bytes are checked again on confirm). */
export const UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;

/** `PhotoUploadInput`. */
export const photoUploadInputSchema = z.object({
  contentType: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(UPLOAD_CONTENT_TYPES, "Photos must be image/jpeg, image/png or image/webp")),
  byteSize: z
    .number()
    .int()
    .min(1, "The file is empty")
    .max(MAX_PHOTO_BYTES, "Photos must be at most 10 MiB"),
});
