import type { EventHandlers } from "@pulse/platform/subgraph";
import { closeBlockedConversation } from "./block.handler.ts";
import { closeMatchConversation, openMatchConversation } from "./match.handlers.ts";
import { closeDeletedUsersConversations } from "./user-deleted.handler.ts";

/** The domain events that open and close conversations, each applied idempotently. */
export const chatEventHandlers: EventHandlers = {
  "match.created": openMatchConversation,
  "match.ended": closeMatchConversation,
  "user.blocked": closeBlockedConversation,
  "user.deleted": closeDeletedUsersConversations,
};
