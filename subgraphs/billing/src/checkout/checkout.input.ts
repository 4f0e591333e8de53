import { z } from "zod";

/** `startCheckout(planId:)`: a plan id; unknown ones are NOT_FOUND. */
export const planIdInput = z.string().trim().min(1, "Choose a plan").max(100);

/** `payCompetitionEntry(competitionId:)`: an id competitions made (a UUID); others are NOT_FOUND. */
export const competitionIdInput = z.string().trim().min(1, "Choose a competition").max(100);

/** Whether `id` could be a competition's id at all (competitions makes UUIDs). */
export const isUuid = (id: string) => z.uuid().safeParse(id).success;
