import { decodeCursor, encodeCursor } from "@pulse/platform";
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

/** The Prisma condition for matches before (`lt`) or after (`gt`) `position`. */
export function beyond(position: MatchPosition, direction: "lt" | "gt") {
  return {
    OR: [
      { matchedAt: { [direction]: position.matchedAt } },
      { matchedAt: position.matchedAt, id: { [direction]: position.id } },
    ],
  };
}

/** Whether `match` was made after `position`. */
export function isAfter(position: MatchPosition, match: MatchKey): boolean {
  const difference = match.matchedAt.getTime() - position.matchedAt.getTime();
  return difference > 0 || (difference === 0 && match.id > position.id);
}
