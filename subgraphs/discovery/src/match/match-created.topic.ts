import type { Match } from "./match.type.ts";

/** The live topic on which `userId` hears of their new matches. */
export function matchCreatedTopic(userId: string): string {
  return `match-created:${userId}`;
}

/** A match as it travels on a live topic: JSON, so its date is a string. */
export type LiveMatch = Omit<Match, "matchedAt"> & { matchedAt: string };

/** The match a live payload stands for. */
export function fromLive(payload: LiveMatch): Match {
  return { ...payload, matchedAt: new Date(payload.matchedAt) };
}

/** A match as a live payload. */
export function toLive(match: Match): LiveMatch {
  return { ...match, matchedAt: match.matchedAt.toISOString() };
}
