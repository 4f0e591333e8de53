import type { RedisConnection } from "@pulse/platform/server";
import { inject } from "vitest";

/** A point on the globe. */
export interface Place {
  latitude: number;
  longitude: number;
}

const KM_PER_DEGREE = 111.195;

/**
 * How far apart two tests' places are: more than the farthest any test looks (its people stand
 * within 50 km of its place and search at most 120 km) twice over, so no search reaches
 * another test's people.
 */
const SPACING_KM = 400;

/**
 * Places a test may have to itself: a grid between latitudes -60 and 60 (longitude degrees
 * shrink towards the poles; the spacing holds along each row), away from the date line and from
 * (0, 0), where fixtures put people whose place does not matter.
 */
const GRID: readonly Place[] = (() => {
  const places: Place[] = [];
  const latitudeStep = SPACING_KM / KM_PER_DEGREE;
  for (let latitude = -60; latitude <= 60; latitude += latitudeStep) {
    const longitudeStep = latitudeStep / Math.cos((Math.abs(latitude) * Math.PI) / 180);
    for (let longitude = -175; longitude <= 175; longitude += longitudeStep) {
      const nearOrigin = Math.hypot(latitude, longitude) * KM_PER_DEGREE < 2 * SPACING_KM;
      if (!nearOrigin) places.push({ latitude, longitude });
    }
  }
  return places;
})();

/**
 * A place no other test of this run has: the run's tiers share one database, so the places are
 * handed out by one counter in Redis under the run's prefix (chance would let two tests' people
 * stand near each other and appear in each other's results).
 */
export async function placeOfItsOwn(redis: RedisConnection): Promise<Place> {
  const index = (await redis.incr(`${inject("redisPrefix")}test-places`)) - 1;
  const place = GRID[index];
  if (!place) throw new Error(`every one of the ${GRID.length} test places is taken`);
  return place;
}
