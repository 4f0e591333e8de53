import type { RateLimits } from "@pulse/platform/server";

/**
 * Chat's limits, by name: attempts per window of seconds, per sender and per conversation.
 * Configuration may change any of them (`RATE_LIMITS`, docs/operations.md).
 */
export const CHAT_RATE_LIMITS = {
  /** Messages one person sends, across their conversations. */
  "send-message:person": { points: 120, durationSeconds: 60 },
  /** Messages into one conversation, from both people: a flood of one chat. */
  "send-message:conversation": { points: 60, durationSeconds: 60 },
} as const;

export type ChatRateLimits = RateLimits<keyof typeof CHAT_RATE_LIMITS>;
