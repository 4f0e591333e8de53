import type { Competition as CompetitionRow } from "@pulse/db";
import { decodeCursor } from "@pulse/platform/subgraph";
import { z } from "zod";

/** A competitions page's keyset: starts_at (ms) and id. */
const cursorSchema = z.tuple([z.number().int(), z.uuid()]);

export function competitionPosition(competition: CompetitionRow): [number, string] {
  return [competition.startsAt.getTime(), competition.id];
}

/** @throws BAD_USER_INPUT on `after` for a cursor we did not make. */
export function decodeCompetitionCursor(cursor: string): { startsAt: Date; id: string } {
  const [startsAt, id] = decodeCursor(cursor, cursorSchema);
  return { startsAt: new Date(startsAt), id };
}
