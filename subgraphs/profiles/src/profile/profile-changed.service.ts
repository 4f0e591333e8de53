import type { Profile as ProfileRow } from "@pulse/db";
import type { Outbox, PrismaTransaction } from "@pulse/platform/subgraph";
import { toCalendarDate } from "./calendar.rules.ts";
import { completeness } from "./completeness.rules.ts";

/** Visible photos of a person, as completeness counts them. */
export function countVisiblePhotos(tx: PrismaTransaction, userId: string): Promise<number> {
  return tx.photo.count({ where: { userId, status: "READY" } });
}

/**
 * Records `profile.changed` with the whole snapshot discovery needs. Call it in the transaction
 * of the change, with the row as that change left it (its `version` already incremented).
 */
export async function recordProfileChanged(
  tx: PrismaTransaction,
  outbox: Outbox,
  profile: ProfileRow,
): Promise<void> {
  const photoCount = await countVisiblePhotos(tx, profile.userId);
  const { latitude, longitude } = profile;
  await outbox.record(tx, "profile.changed", {
    userId: profile.userId,
    version: profile.version,
    gender: profile.gender,
    interestedIn: profile.interestedIn,
    birthdate: toCalendarDate(profile.birthdate),
    location: latitude !== null && longitude !== null ? { latitude, longitude } : null,
    preferences: {
      minAge: profile.minAge,
      maxAge: profile.maxAge,
      maxDistanceKm: profile.maxDistanceKm,
      genders: profile.preferredGenders,
    },
    completeness: completeness(profile, photoCount),
  });
}
