import { decodeCursor, encodeCursor } from "@pulse/platform/subgraph";
import { z } from "zod";
import type { Match } from "./match.type.ts";

/** Where a match stands among a person's matches: by when it was made, then by id. */
export interface MatchPosition {
  matchedAt: Date;
  id: string;
}

/** A match cursor's content: matchedAt (ISO), then id. */
const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

type MatchKey = Pick<Match, "matchedAt" | "id">;

/** The keyset values a match cursor holds. */
export function matchKey(match: MatchKey): [string, string] {
  return [match.matchedAt.toISOString(), match.id];
}

/** A match's opaque cursor, as `matches` pages and `matchCreated`'s resume use it. */
export function matchCursor(match: MatchKey): string {
  return encodeCursor(matchKey(match));
}

/**
 * The position in a match cursor.
 *
 * @throws BAD_USER_INPUT on `field` when the cursor was not made by us.
 */
export function decodeMatchCursor(cursor: string, field = "after"): MatchPosition {
  const [matchedAt, id] = decodeCursor(cursor, cursorSchema, field);
  return { matchedAt: new Date(matchedAt), id };
}

/** The Prisma condition for matches made before `position` (newest first). */
export function before(position: MatchPosition) {
  return {
    OR: [
      { matchedAt: { lt: position.matchedAt } },
      { matchedAt: position.matchedAt, id: { lt: position.id } },
    ],
  };
}

/** Where a resumed `matchCreated` starts: a place among the viewer's matches (decimal). */
const resumeSchema = z.tuple([z.string().regex(/^\d{1,19}$/)]);

/** The resume position after the match at `position` among the subscriber's matches. */
export function matchFeedCursor(position: string): string {
  return encodeCursor([position]);
}

/**
 * The place in a `matchFeedCursor`.
 *
 * @throws BAD_USER_INPUT on `field` when the cursor was not made by us.
 */
export function decodeMatchFeedCursor(cursor: string, field: string): bigint {
  const [position] = decodeCursor(cursor, resumeSchema, field);
  return BigInt(position);
}
