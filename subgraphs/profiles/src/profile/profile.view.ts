import type { Profile as ProfileRow } from "@pulse/db";
import type { Location } from "./location.type.ts";
import type { Preferences } from "./preferences.type.ts";

/** The preferences kept on a profile row. */
export function toPreferences(profile: ProfileRow): Preferences {
  return {
    minAge: profile.minAge,
    maxAge: profile.maxAge,
    maxDistanceKm: profile.maxDistanceKm,
    genders: profile.preferredGenders,
  };
}

/** The location kept on a profile row, or null until the person shares one. */
export function toLocation(profile: ProfileRow): Location | null {
  if (profile.latitude === null || profile.longitude === null) return null;
  return {
    latitude: profile.latitude,
    longitude: profile.longitude,
    city: profile.city,
    country: profile.country,
  };
}
