import { PhotoSize } from "./photo.type.ts";

/** Every object of a person lives under this prefix, so deleting a person can sweep it. */
export const ownerPrefix = (userId: string) => `photos/${userId}/`;

/** Where the client uploads the raw bytes; deleted once the cleaned sizes are stored. */
export const uploadKey = (userId: string, photoId: string) =>
  `${ownerPrefix(userId)}${photoId}/upload`;

/** Where a cleaned size of a confirmed photo is stored. */
export const sizeKey = (userId: string, photoId: string, size: PhotoSize) =>
  `${ownerPrefix(userId)}${photoId}/${size.toLowerCase()}.webp`;

/** Every object a photo may have: its upload and its cleaned sizes. */
export const photoObjectKeys = (userId: string, photoId: string) => [
  uploadKey(userId, photoId),
  ...Object.values(PhotoSize).map((size) => sizeKey(userId, photoId, size)),
];
