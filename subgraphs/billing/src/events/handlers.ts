import type { Logger } from "@pulse/platform/server";
import type { EventHandlers } from "@pulse/platform/subgraph";
import type Stripe from "stripe";
import type { MembershipService } from "../membership/membership.service.ts";
import { keepCompetition } from "./competition-created.handler.ts";
import { refundDeclinedEntry } from "./entry-declined.handler.ts";
import { forgetDeletedUser } from "./user-deleted.handler.ts";

/** The domain events billing consumes, each applied idempotently. */
export function billingEventHandlers(deps: {
  stripe: Stripe;
  memberships: MembershipService;
  logger: Logger;
}): EventHandlers {
  return {
    "competition.created": keepCompetition,
    "entry.declined": refundDeclinedEntry(deps.stripe),
    "user.deleted": forgetDeletedUser(deps.stripe, deps.memberships, deps.logger),
  };
}
