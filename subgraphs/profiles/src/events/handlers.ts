import type { Logger } from "@pulse/platform/server";
import type { EventHandlers } from "@pulse/platform/subgraph";
import type { PhotoStorage } from "../photo/photo-storage.adapter.ts";
import type { ProfileCards } from "../profile/profile-cards.service.ts";
import { userDeletedHandler } from "./user-deleted.handler.ts";

/** The domain events profiles acts on: a deleted account takes its profile and photos along. */
export function profilesEventHandlers(deps: {
  storage: PhotoStorage;
  cards: Pick<ProfileCards, "invalidate">;
  logger: Logger;
}): EventHandlers {
  return { "user.deleted": userDeletedHandler(deps.storage, deps.cards, deps.logger) };
}
