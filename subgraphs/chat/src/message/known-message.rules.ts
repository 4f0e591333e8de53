import type { Conversation as ConversationRow, Message as MessageRow } from "@pulse/db";

/** What is already known of a message when its fields are resolved. */
export interface KnownMessageFacts {
  /** Its conversation, as it was read with the message. */
  conversation: ConversationRow;
  /** When the other person first read it; null for a message just sent. */
  readAt: Date | null;
}

/**
 * Facts read together with messages (the one just stored, a replay's page), so their fields need
 * no query per message. Held by the message object itself (weakly), not by a context's loaders:
 * a subscription's context lives as long as the subscription, and loaders primed for each event
 * kept every event's rows alive until the next one, in every subscription chat holds.
 */
const known = new WeakMap<MessageRow, KnownMessageFacts>();

/** Marks `message` as just stored in `conversation`: nobody has read it yet. */
export function markJustSent(message: MessageRow, conversation: ConversationRow): MessageRow {
  return markKnown(message, { conversation, readAt: null });
}

export function markKnown(message: MessageRow, facts: KnownMessageFacts): MessageRow {
  known.set(message, facts);
  return message;
}

/** What was marked known of `message`; undefined when its fields must be loaded. */
export function knownFacts(message: MessageRow): KnownMessageFacts | undefined {
  return known.get(message);
}
