import type { Conversation as ConversationRow } from "@pulse/db";
import { forbidden, notFound } from "@pulse/platform/server";

/** Why a conversation closed: the reasons of `match.ended`. */
export type CloseReason = "UNMATCHED" | "BLOCKED" | "USER_DELETED";

/**
 * Closings that take a conversation away from both people. After an account deletion the other
 * person keeps it, read-only.
 */
const hidingReasons: ReadonlySet<string> = new Set<CloseReason>(["UNMATCHED", "BLOCKED"]);

export function hidesConversation(reason: CloseReason): boolean {
  return hidingReasons.has(reason);
}

/** Whether `userId` is one of the conversation's two people. */
export function isParticipant(conversation: ConversationRow, userId: string): boolean {
  return conversation.userLow === userId || conversation.userHigh === userId;
}

/** Whether `viewerId` may read the conversation: one of its people, and not unmatched or blocked. */
export function isReadableBy(conversation: ConversationRow, viewerId: string | undefined): boolean {
  return (
    viewerId !== undefined &&
    isParticipant(conversation, viewerId) &&
    !(conversation.closedReason && hidingReasons.has(conversation.closedReason))
  );
}

/**
 * The conversation, if `viewerId` may read it.
 *
 * @throws NOT_FOUND when it does not exist or was closed by unmatch or block, FORBIDDEN when it
 * is someone else's.
 */
export function requireReadable(
  conversation: ConversationRow | null,
  viewerId: string,
): ConversationRow {
  if (!conversation) throw notFound("No such conversation");
  if (!isParticipant(conversation, viewerId)) throw forbidden("Not your conversation");
  if (!isReadableBy(conversation, viewerId)) throw notFound("No such conversation");
  return conversation;
}

/**
 * The conversation, if `viewerId` may write to it: theirs and still open.
 *
 * @throws NOT_FOUND when it does not exist, FORBIDDEN when it is someone else's or closed.
 */
export function requireWritable(
  conversation: ConversationRow | null,
  viewerId: string,
): ConversationRow {
  if (!conversation) throw notFound("No such conversation");
  if (!isParticipant(conversation, viewerId)) throw forbidden("Not your conversation");
  if (conversation.closedAt) throw forbidden("This conversation is closed");
  return conversation;
}
