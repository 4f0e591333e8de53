import type { Conversation as ConversationRow, Message as MessageRow } from "@pulse/db";

/** The live topic on which `userId` hears of every new message of their conversations. */
export function messageAddedTopic(userId: string): string {
  return `message-added:${userId}`;
}

/** A conversation row as JSON: bigint and dates as strings. */
type LiveConversation = Omit<ConversationRow, "lastSeq" | "createdAt" | "closedAt"> & {
  lastSeq: string;
  createdAt: string;
  closedAt: string | null;
};

/**
 * A message as it travels on a live topic: JSON, so its seq and date are strings. A new message
 * carries its conversation as it was when sent, so delivering it to a subscriber needs no query;
 * a replayed one carries its conversation and when it was read, read with its replay's page.
 */
export type LiveMessage = Omit<
  MessageRow,
  "seq" | "sentAt" | "senderPosition" | "recipientPosition"
> & {
  seq: string;
  sentAt: string;
  senderPosition: string;
  recipientPosition: string;
  conversation?: LiveConversation;
  /** Replayed messages only: when the other person first read it. */
  readAt?: string | null;
};

export function toLive(
  message: MessageRow,
  conversation?: ConversationRow,
  readAt?: Date | null,
): LiveMessage {
  return {
    ...message,
    seq: message.seq.toString(),
    sentAt: message.sentAt.toISOString(),
    senderPosition: message.senderPosition.toString(),
    recipientPosition: message.recipientPosition.toString(),
    ...(readAt === undefined ? {} : { readAt: readAt?.toISOString() ?? null }),
    ...(conversation
      ? {
          conversation: {
            ...conversation,
            lastSeq: conversation.lastSeq.toString(),
            createdAt: conversation.createdAt.toISOString(),
            closedAt: conversation.closedAt?.toISOString() ?? null,
          },
        }
      : {}),
  };
}

/** The message a live payload stands for. */
export function fromLive(payload: LiveMessage): MessageRow {
  const { conversation: _conversation, readAt: _readAt, ...message } = payload;
  return {
    ...message,
    seq: BigInt(payload.seq),
    sentAt: new Date(payload.sentAt),
    senderPosition: BigInt(payload.senderPosition),
    recipientPosition: BigInt(payload.recipientPosition),
  };
}

/** A message's position in the feed of `userId`, one of its two people. */
export function feedPosition(
  userId: string,
  message: Pick<LiveMessage | MessageRow, "senderId" | "senderPosition" | "recipientPosition">,
): bigint {
  return BigInt(userId === message.senderId ? message.senderPosition : message.recipientPosition);
}

/** The conversation a new message's payload carries, as it was when the message was sent. */
export function conversationOf(payload: LiveMessage): ConversationRow | undefined {
  const { conversation } = payload;
  if (!conversation) return undefined;
  return {
    ...conversation,
    lastSeq: BigInt(conversation.lastSeq),
    createdAt: new Date(conversation.createdAt),
    closedAt: conversation.closedAt ? new Date(conversation.closedAt) : null,
  };
}

/** When the other person read the message a payload stands for: null for a new one. */
export function readAtOf(payload: LiveMessage): Date | null {
  return payload.readAt ? new Date(payload.readAt) : null;
}
