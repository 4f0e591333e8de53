import { decodeCursor, encodeCursor } from "@pulse/platform/subgraph";
import { z } from "zod";

/** A leaderboard page's keyset: score (thousandths, decimal) and user id. */
const cursorSchema = z.tuple([z.string().regex(/^-?\d{1,19}$/), z.uuid()]);

export function leaderboardCursor(entry: { scoreMilli: bigint; userId: string }): string {
  return encodeCursor([entry.scoreMilli.toString(), entry.userId]);
}

/** @throws BAD_USER_INPUT on `after` for a cursor we did not make. */
export function decodeLeaderboardCursor(cursor: string): { scoreMilli: bigint; userId: string } {
  const [score, userId] = decodeCursor(cursor, cursorSchema);
  return { scoreMilli: BigInt(score), userId };
}
