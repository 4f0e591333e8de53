import type { Match as MatchRow } from "@pulse/db";
import { matchPosition, viewMatch } from "./match.view.ts";
import type { Match } from "./match.type.ts";

/** The live topic on which `userId` hears of their new matches. */
export function matchCreatedTopic(userId: string): string {
  return `match-created:${userId}`;
}

/**
 * A match as it travels on one person's live topic: as they see it, JSON (so its date is a
 * string), with its place among their matches.
 */
export type LiveMatch = Omit<Match, "matchedAt"> & { matchedAt: string; position: string };

/** The match a live payload stands for. */
export function fromLive(payload: LiveMatch): Match {
  const { position: _position, ...match } = payload;
  return { ...match, matchedAt: new Date(payload.matchedAt) };
}

/** A match as the live payload for `viewerId`, one of its two people. */
export function toLive(match: MatchRow, viewerId: string): LiveMatch {
  const view = viewMatch(match, viewerId);
  return {
    ...view,
    matchedAt: view.matchedAt.toISOString(),
    position: matchPosition(match, viewerId).toString(),
  };
}
