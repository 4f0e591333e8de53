import type { Message as MessageRow } from "@pulse/db";
import { decodeCursor, encodeCursor } from "@pulse/platform/subgraph";
import { z } from "zod";

/** Where a message stands: its conversation and its place in it. */
export interface MessagePosition {
  conversationId: string;
  seq: bigint;
}

/** A message cursor's content: conversation id and seq (decimal). */
const cursorSchema = z.tuple([z.uuid(), z.string().regex(/^\d{1,19}$/)]);

type MessageKey = Pick<MessageRow, "conversationId" | "seq">;

/** The keyset values a message cursor holds. */
export function messagePosition(message: MessageKey): [string, string] {
  return [message.conversationId, message.seq.toString()];
}

/** A message's opaque cursor, for `messages(after:)` and `messageAdded(after:)`. */
export function messageCursor(message: MessageKey): string {
  return encodeCursor(messagePosition(message));
}

/**
 * The position in a message cursor.
 *
 * @throws BAD_USER_INPUT on `field` when the cursor was not made by us.
 */
export function decodeMessageCursor(cursor: string, field = "after"): MessagePosition {
  const [conversationId, seq] = decodeCursor(cursor, cursorSchema, field);
  return { conversationId, seq: BigInt(seq) };
}
