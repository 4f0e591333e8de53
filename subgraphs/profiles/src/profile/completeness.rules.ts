/**
 * How complete a profile is, 0..1. The required fields (name, username, birthdate, gender,
 * interests) exist once there is a profile at all; the rest is what makes a profile worth
 * showing, weighted by how much it helps others decide:
 *
 * | part                        | weight |
 * | --------------------------- | ------ |
 * | required fields             | 0.20   |
 * | a bio                       | 0.15   |
 * | a shared location           | 0.15   |
 * | photos, 1/3 each up to 3    | 0.50   |
 */
export const COMPLETENESS_WEIGHTS = { required: 0.2, bio: 0.15, location: 0.15, photos: 0.5 };

/** Photos beyond this many add nothing more to completeness. */
export const PHOTOS_FOR_FULL_CREDIT = 3;

/** What completeness depends on, as a profile row holds it. */
export interface CompletenessFacts {
  bio: string | null;
  /** Null until the person shares a location. */
  latitude: number | null;
}

/** The completeness of a profile with `photoCount` visible photos, rounded to two decimals. */
export function completeness({ bio, latitude }: CompletenessFacts, photoCount: number): number {
  const hasLocation = latitude !== null;
  const weights = COMPLETENESS_WEIGHTS;
  const score =
    weights.required +
    (bio ? weights.bio : 0) +
    (hasLocation ? weights.location : 0) +
    (weights.photos * Math.min(photoCount, PHOTOS_FOR_FULL_CREDIT)) / PHOTOS_FOR_FULL_CREDIT;
  return Math.round(score * 100) / 100;
}
