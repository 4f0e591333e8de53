import { decodeCursor } from "@pulse/platform/subgraph";
import { z } from "zod";

/** A search result's position: its username key (usernames are unique by key). */
const searchPositionSchema = z.object({ username: z.string().min(1).max(30) });

export const searchPosition = (row: { usernameKey: string }) => ({ username: row.usernameKey });

/** @throws BAD_USER_INPUT on `after` when the cursor is not one of ours. */
export const searchCursorUsername = (cursor: string) =>
  decodeCursor(cursor, searchPositionSchema).username;
