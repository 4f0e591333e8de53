import { Prisma } from "@pulse/db";
import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";
import { matchKey } from "../candidate/match-key.query.ts";

/**
 * Applies a person's `profile.changed` snapshot to their candidate row, only when it is newer
 * than the one applied (a late, older snapshot changes nothing) and never for a deleted person.
 * `genders` is who they want to see: their preferences, or `interestedIn` when those are empty.
 */
export async function applyProfileSnapshot(
  event: DomainEvent<"profile.changed">,
  tx: PrismaTransaction,
): Promise<void> {
  const { userId, version, gender, interestedIn, birthdate, location, preferences, completeness } =
    event.payload;
  const genders = preferences.genders.length > 0 ? preferences.genders : interestedIn;
  const latitude = location?.latitude ?? null;
  const longitude = location?.longitude ?? null;
  await tx.$executeRaw`
    INSERT INTO discovery.candidate AS c
      (user_id, gender, interested_in, birthdate, latitude, longitude, earth,
       match_key, min_age, max_age, max_distance_km, genders, completeness, profile_version, tier)
    SELECT ${userId}::uuid, ${gender}, ${interestedIn}::text[], ${birthdate}::date,
           ${latitude}::float8, ${longitude}::float8,
           ll_to_earth(${latitude}::float8, ${longitude}::float8),
           ${matchKey({
             latitude: Prisma.sql`${latitude}::float8`,
             longitude: Prisma.sql`${longitude}::float8`,
             birthdate: Prisma.sql`${birthdate}::date`,
             minAge: Prisma.sql`${preferences.minAge}::int`,
             maxAge: Prisma.sql`${preferences.maxAge}::int`,
           })},
           ${preferences.minAge}::int, ${preferences.maxAge}::int, ${preferences.maxDistanceKm}::int,
           ${genders}::text[], ${completeness}::float8, ${version}::int,
           -- A membership that arrived before the profile: billing's events are not ordered
           -- with profiles'.
           COALESCE((SELECT CASE WHEN m.is_premium THEN 'PREMIUM' ELSE 'FREE' END
                     FROM discovery.membership m WHERE m.user_id = ${userId}::uuid), 'FREE')
    WHERE NOT EXISTS (SELECT 1 FROM discovery.deleted_user d WHERE d.user_id = ${userId}::uuid)
    ON CONFLICT (user_id) DO UPDATE SET
      gender = EXCLUDED.gender, interested_in = EXCLUDED.interested_in,
      birthdate = EXCLUDED.birthdate, latitude = EXCLUDED.latitude,
      longitude = EXCLUDED.longitude, earth = EXCLUDED.earth, match_key = EXCLUDED.match_key,
      min_age = EXCLUDED.min_age,
      max_age = EXCLUDED.max_age, max_distance_km = EXCLUDED.max_distance_km,
      genders = EXCLUDED.genders, completeness = EXCLUDED.completeness,
      profile_version = EXCLUDED.profile_version, updated_at = now()
    WHERE c.profile_version < EXCLUDED.profile_version`;
}
