import type { Message as MessageRow } from "@pulse/db";
import { decodeCursor, encodeCursor } from "@pulse/platform";
import { z } from "zod";

/** Where a message stands: its conversation, its place in it, and when it was sent. */
export interface MessagePosition {
  conversationId: string;
  seq: bigint;
  sentAt: Date;
}

/** A message cursor's content: conversation id, seq (decimal) and sentAt (ISO). */
const cursorSchema = z.tuple([z.uuid(), z.string().regex(/^\d{1,19}$/), z.iso.datetime()]);

type MessageKey = Pick<MessageRow, "conversationId" | "seq" | "sentAt">;

/** The keyset values a message cursor holds. */
export function messagePosition(message: MessageKey): [string, string, string] {
  return [message.conversationId, message.seq.toString(), message.sentAt.toISOString()];
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
  const [conversationId, seq, sentAt] = decodeCursor(cursor, cursorSchema, field);
  return { conversationId, seq: BigInt(seq), sentAt: new Date(sentAt) };
}

/**
 * Whether a message comes after `position`: later in the same conversation, or in another one
 * sent no earlier (the same millisecond counts: replaying one twice beats losing it).
 */
export function isAfter(position: MessagePosition, message: MessageKey): boolean {
  return message.conversationId === position.conversationId
    ? message.seq > position.seq
    : message.sentAt >= position.sentAt;
}
