import type { Conversation as ConversationRow, Message as MessageRow } from "@pulse/db";

/**
 * Messages just stored, with their conversation as it was read to store them. Held by the message
 * object itself (weakly), not by a context's loaders: a subscription's context lives as long as
 * the subscription, and loaders primed for each event kept every event's rows alive until the
 * next one, in every subscription chat holds.
 */
const conversations = new WeakMap<MessageRow, ConversationRow>();

/** Marks `message` as just stored in `conversation`: nobody has read it yet. */
export function markJustSent(message: MessageRow, conversation: ConversationRow): MessageRow {
  conversations.set(message, conversation);
  return message;
}

/** The conversation of a message marked just sent, as it was when sent; undefined otherwise. */
export function justSentConversation(message: MessageRow): ConversationRow | undefined {
  return conversations.get(message);
}
