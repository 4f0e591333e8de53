import type { EventHandlers } from "@pulse/platform/subgraph";
import type { CompetitionsServices } from "../context.ts";
import { seatPaidEntry } from "./entry-paid.handler.ts";
import { removeRefundedEntry } from "./entry-refunded.handler.ts";
import { forgetDeletedUser } from "./user-deleted.handler.ts";

/** The domain events competitions consumes, each applied idempotently. */
export function competitionsEventHandlers(services: CompetitionsServices): EventHandlers {
  return {
    "entry.paid": seatPaidEntry(services),
    "entry.refunded": removeRefundedEntry(services),
    "user.deleted": forgetDeletedUser(services),
  };
}
