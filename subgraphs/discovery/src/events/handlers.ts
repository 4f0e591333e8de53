import type { EventHandlers } from "@pulse/platform/subgraph";
import type { MatchService } from "../match/match.service.ts";
import { applyBlockChange } from "./block.handler.ts";
import { applyMembershipSnapshot } from "./membership-changed.handler.ts";
import { applyProfileSnapshot } from "./profile-changed.handler.ts";
import { forgetUser } from "./user-deleted.handler.ts";

/** The domain events that feed discovery's read model, each applied idempotently and in order. */
export function discoveryEventHandlers(matches: MatchService): EventHandlers {
  return {
    "profile.changed": applyProfileSnapshot,
    "membership.changed": applyMembershipSnapshot,
    "user.blocked": (event, tx) => applyBlockChange(event, tx, matches),
    "user.unblocked": (event, tx) => applyBlockChange(event, tx, matches),
    "user.deleted": (event, tx) => forgetUser(event, tx, matches),
  };
}
