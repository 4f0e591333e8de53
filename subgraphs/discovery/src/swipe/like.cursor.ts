import { decodeCursor } from "@pulse/platform/subgraph";
import { z } from "zod";
import type { LikePosition } from "./likes-received.query.ts";

/** A like cursor's content: likedAt (ISO, milliseconds as stored), then the liker's id. */
const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** The keyset values a like cursor holds. */
export const likeKey = (like: LikePosition): [string, string] => [
  like.likedAt.toISOString(),
  like.userId,
];

/** @throws BAD_USER_INPUT on `after` when the cursor was not made by us. */
export function decodeLikeCursor(cursor: string): LikePosition {
  const [likedAt, userId] = decodeCursor(cursor, cursorSchema);
  return { likedAt: new Date(likedAt), userId };
}
