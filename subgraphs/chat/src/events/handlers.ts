import type { EventHandlers } from "@pulse/platform/subgraph";
import { closeBlockedConversation } from "./block.handler.ts";
import { openMatchConversation } from "./match-created.handler.ts";
import { closeMatchConversation } from "./match-ended.handler.ts";
import { closeDeletedUsersConversations } from "./user-deleted.handler.ts";

/** The domain events that open and close conversations, each applied idempotently. */
export const chatEventHandlers: EventHandlers = {
  "match.created": openMatchConversation,
  "match.ended": closeMatchConversation,
  "user.blocked": closeBlockedConversation,
  "user.deleted": closeDeletedUsersConversations,
};
