import type { Match as MatchRow } from "@pulse/db";
import type { Match } from "./match.type.ts";

/** Whether `userId` is one of the match's two people. */
export function isParticipant(match: MatchRow, userId: string): boolean {
  return match.userLow === userId || match.userHigh === userId;
}

/** The match's place among the matches of `userId`, one of its two people. */
export function matchPosition(match: MatchRow, userId: string): bigint {
  return match.userLow === userId ? match.lowPosition : match.highPosition;
}

/** A match as `viewerId` sees it: `user` is the other person. */
export function viewMatch(match: MatchRow, viewerId: string): Match {
  const other = match.userLow === viewerId ? match.userHigh : match.userLow;
  return { id: match.id, matchedAt: match.matchedAt, user: { id: other } };
}

/** A match shown to `viewerId` only while it lasts and only if they are in it; else null. */
export function visibleMatch(match: MatchRow | null, viewerId: string | undefined): Match | null {
  if (!match || !viewerId || match.endedAt || !isParticipant(match, viewerId)) return null;
  return viewMatch(match, viewerId);
}
