import type { Message as MessageRow } from "@pulse/db";

/** The live topic on which `userId` hears of every new message of their conversations. */
export function messageAddedTopic(userId: string): string {
  return `message-added:${userId}`;
}

/** A message as it travels on a live topic: JSON, so its seq and date are strings. */
export type LiveMessage = Omit<MessageRow, "seq" | "sentAt"> & { seq: string; sentAt: string };

export function toLive(message: MessageRow): LiveMessage {
  return { ...message, seq: message.seq.toString(), sentAt: message.sentAt.toISOString() };
}

/** The message a live payload stands for. */
export function fromLive(payload: LiveMessage): MessageRow {
  return { ...payload, seq: BigInt(payload.seq), sentAt: new Date(payload.sentAt) };
}
