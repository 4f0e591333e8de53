// The synthetic population of the discovery benchmark, written straight into discovery's read
// model and profiles' table with INSERT ... SELECT generate_series: 100,000 people in seconds.
import { Prisma } from "@pulse/db";
import type { PrismaClient } from "@pulse/platform/subgraph";
import { matchKey } from "../../../subgraphs/discovery/src/candidate/match-key.query.ts";

/**
 * Cities of a realistic area (Germany): centre, share of the population and spread (σ, km). The
 * rest, one person in ten, lives anywhere in the country's bounding box.
 */
const CITIES = [
  { latitude: 52.52, longitude: 13.405, share: 0.22, sigmaKm: 12 }, // Berlin
  { latitude: 53.551, longitude: 9.994, share: 0.12, sigmaKm: 10 }, // Hamburg
  { latitude: 48.137, longitude: 11.575, share: 0.11, sigmaKm: 10 }, // Munich
  { latitude: 50.938, longitude: 6.96, share: 0.09, sigmaKm: 9 }, // Cologne
  { latitude: 50.11, longitude: 8.682, share: 0.08, sigmaKm: 9 }, // Frankfurt
  { latitude: 48.776, longitude: 9.183, share: 0.07, sigmaKm: 8 }, // Stuttgart
  { latitude: 51.227, longitude: 6.774, share: 0.06, sigmaKm: 8 }, // Düsseldorf
  { latitude: 51.34, longitude: 12.375, share: 0.05, sigmaKm: 8 }, // Leipzig
  { latitude: 51.05, longitude: 13.738, share: 0.05, sigmaKm: 8 }, // Dresden
  { latitude: 52.375, longitude: 9.732, share: 0.05, sigmaKm: 8 }, // Hanover
];
const BOUNDS = { south: 47.5, north: 54.8, west: 6.0, east: 15.0 };
const KM_PER_DEGREE = 111.195;

/** The cities as a VALUES list with cumulative shares, to pick one with a uniform draw. */
function cityValues(): Prisma.Sql {
  let cumulative = 0;
  return Prisma.join(
    CITIES.map((city) => {
      cumulative += city.share;
      return Prisma.sql`(${city.latitude}::float8, ${city.longitude}::float8,
        ${city.sigmaKm}::float8, ${cumulative}::float8)`;
    }),
  );
}

/**
 * Inserts `count` people into `discovery.candidate`, `profiles.profile` and `profiles.photo`
 * (rows only: links are signed, never fetched): positions drawn
 * around the cities (Box-Muller normal offsets), 48% women, 48% men, 4% non-binary, mostly
 * seeking the other gender (8% everyone), ages 18..60 skewed young with ranges around their own,
 * search radii 10..100 km, completeness 0.2..1, active within the last 30 days, 10% premium.
 */
export async function seedPeople(prisma: PrismaClient, count: number): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO discovery.candidate
      (user_id, gender, interested_in, birthdate, latitude, longitude, earth, match_key, min_age,
       max_age, max_distance_km, genders, completeness, tier, last_active_at, profile_version)
    SELECT user_id, gender, wanted, birthdate, latitude, longitude, ll_to_earth(latitude, longitude),
           ${matchKey({
             latitude: Prisma.sql`latitude`,
             longitude: Prisma.sql`longitude`,
             birthdate: Prisma.sql`birthdate`,
             minAge: Prisma.sql`min_age`,
             maxAge: Prisma.sql`max_age`,
           })},
           min_age, max_age, radius, wanted, completeness, tier, last_active_at, 1
    FROM (
      SELECT gen_random_uuid() AS user_id, gender, birthdate, latitude, longitude,
             greatest(18, age - 8) AS min_age, least(99, age + 10) AS max_age,
             (ARRAY[10, 25, 25, 50, 50, 50, 80, 100])[1 + floor(r * 8)::int] AS radius,
             CASE WHEN p < 0.08 OR gender = 'NON_BINARY' THEN ARRAY['FEMALE', 'MALE', 'NON_BINARY']
                  WHEN gender = 'FEMALE' THEN ARRAY['MALE'] ELSE ARRAY['FEMALE'] END AS wanted,
             round((0.2 + 0.8 * p)::numeric, 2)::float8 AS completeness,
             CASE WHEN r < 0.1 THEN 'PREMIUM' ELSE 'FREE' END AS tier,
             now() - p * p * interval '30 days' AS last_active_at
      FROM (
        SELECT CASE WHEN g < 0.48 THEN 'FEMALE' WHEN g < 0.96 THEN 'MALE' ELSE 'NON_BINARY' END
                 AS gender,
               18 + floor(a * a * 42)::int AS age,
               (current_date - make_interval(years => 18 + floor(a * a * 42)::int,
                                             days => floor(p * 364)::int))::date AS birthdate,
               coalesce(city_lat + sigma * normal_cos / ${KM_PER_DEGREE},
                        ${BOUNDS.south} + u1 * ${BOUNDS.north - BOUNDS.south}) AS latitude,
               coalesce(city_lon + sigma * normal_sin / (${KM_PER_DEGREE} * cos(radians(city_lat))),
                        ${BOUNDS.west} + u2 * ${BOUNDS.east - BOUNDS.west}) AS longitude,
               r, p
        FROM (
          SELECT d.*, c.lat AS city_lat, c.lon AS city_lon, c.sigma,
                 sqrt(-2 * ln(1 - d.u1)) * cos(2 * pi() * d.u2) AS normal_cos,
                 sqrt(-2 * ln(1 - d.u1)) * sin(2 * pi() * d.u2) AS normal_sin
          FROM (
            SELECT random() AS pick, random() AS u1, random() AS u2, random() AS g,
                   random() AS a, random() AS r, random() AS p
            FROM generate_series(1, ${count})
          ) d
          LEFT JOIN LATERAL (
            SELECT * FROM (VALUES ${cityValues()}) AS city (lat, lon, sigma, cumulative)
            WHERE city.cumulative >= d.pick ORDER BY city.cumulative LIMIT 1
          ) c ON true
        ) placed
      ) drawn
    ) person`;
  await prisma.$executeRaw`
    INSERT INTO profiles.profile
      (user_id, display_name, username, username_key, bio, birthdate, gender, interested_in,
       latitude, longitude, min_age, max_age, max_distance_km, preferred_genders, updated_at)
    SELECT user_id, 'Person ' || n, 'person' || n, 'person' || n, 'Here for the benchmark',
           birthdate, gender::profiles."Gender", interested_in::profiles."Gender"[], latitude,
           longitude, min_age, max_age, max_distance_km, genders::profiles."Gender"[], now()
    FROM (SELECT *, row_number() OVER () AS n FROM discovery.candidate) AS person`;
  // Visible photos as completeness implies (bio and location give 0.5, each photo 0.5 / 3), so
  // discover pays for their download links: 0 to 3 a person, about 1 on average.
  await prisma.$executeRaw`
    INSERT INTO profiles.photo
      (id, user_id, status, content_type, byte_size, upload_expires_at, position, confirmed_at)
    SELECT gen_random_uuid(), user_id, 'READY', 'image/jpeg', 400000, now(), position, now()
    FROM discovery.candidate,
         generate_series(0, least(3, round((completeness - 0.5) * 6)::int) - 1) AS position`;
  // As autovacuum would leave them: statistics, hint bits and the visibility map in place.
  await prisma.$executeRaw`VACUUM ANALYZE discovery.candidate`;
  await prisma.$executeRaw`VACUUM ANALYZE profiles.profile`;
  await prisma.$executeRaw`VACUUM ANALYZE profiles.photo`;
}

/**
 * Gives each of `swiperIds` a history of `perSwiper` swipes on random people (a month of an active
 * member's swiping is in the thousands), so discover pays for excluding them as it would in
 * production rather than against an empty list.
 */
export async function seedSwipes(
  prisma: PrismaClient,
  swiperIds: string[],
  perSwiper: number,
): Promise<void> {
  await prisma.$executeRaw`
    WITH person AS MATERIALIZED (
      SELECT user_id, row_number() OVER () AS n FROM discovery.candidate
    ),
    pick AS (
      SELECT swiper.id::uuid AS swiper_id,
             1 + floor(random() * (SELECT count(*) FROM person))::bigint AS n
      FROM unnest(${swiperIds}::text[]) AS swiper (id), generate_series(1, ${perSwiper})
    )
    INSERT INTO discovery.swipe (swiper_id, target_id, action)
    SELECT pick.swiper_id, person.user_id, CASE WHEN random() < 0.3 THEN 'LIKE' ELSE 'PASS' END
    FROM pick JOIN person USING (n)
    WHERE person.user_id <> pick.swiper_id
    ON CONFLICT DO NOTHING`;
  await prisma.$executeRaw`ANALYZE discovery.swipe`;
}
