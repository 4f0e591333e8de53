import { Prisma } from "@pulse/db";
import type { PrismaClient } from "@pulse/platform/subgraph";
import { touchActivity } from "./activity.query.ts";
import { greatCircleMeters } from "./distance.query.ts";
import { searchBox } from "./match-key.query.ts";

/** One ranked candidate as the query returns it. */
export interface CandidateRow {
  userId: string;
  distanceKm: number;
  score: number;
}

/**
 * How the score weighs its parts (each part is 0..1): closeness within the viewer's radius,
 * recent activity (decaying with a 3-day time constant), profile completeness, and a jitter that
 * only reshuffles near-ties, so the order changes from day to day but quality still dominates.
 */
const SCORE_WEIGHTS = { distance: 0.5, activity: 0.3, completeness: 0.2, jitter: 0.05 };
const ACTIVITY_DECAY_SECONDS = 3 * 24 * 3600;

/** The contract's genders, each with its own partial geo index. */
const GENDERS = ["FEMALE", "MALE", "NON_BINARY"] as const;
type Gender = (typeof GENDERS)[number];

/**
 * The viewer's best candidates, best first, in one statement that also marks the viewer active.
 *
 * Mutual fit: each side's age range, genders and maximum distance must accept the other. One
 * GiST lookup per wanted gender (partial indexes on `match_key`, see match-key.ts) finds the
 * people in the viewer's `earth_box`, born within the viewer's age range and accepting the
 * viewer's age; the exact great-circle distance (within both radii) and genders both ways are
 * then checked per row. Ages are birthdate bounds computed once (age >= n ⟺ born on or before
 * today - n years, UTC; the rule of Postgres' `age()`). Self, people the viewer already swiped and
 * blocks either way are left out; deleted people have no row. The jitter hashes (candidate,
 * viewer, UTC date): stable within a day, different for each viewer.
 *
 * A viewer without a row or without a location gets no candidates (an empty list): right after
 * creating a profile the read model may still be catching up, which is not an error.
 *
 * @param touch whether to mark the viewer active too: not on a read replica, which writes nothing.
 */
export function candidateQuery(viewerId: string, limit: number, touch = true): Prisma.Sql {
  const { distance, activity, completeness, jitter } = SCORE_WEIGHTS;
  return Prisma.sql`
    WITH ${touch ? Prisma.sql`touch AS (${touchActivity(viewerId)}),` : Prisma.empty}
    viewer AS MATERIALIZED (
      SELECT user_id, gender, genders, earth, radius, age, born_after, born_by,
             ${searchBox({
               earth: Prisma.sql`earth`,
               radiusMeters: Prisma.sql`radius`,
               bornAfter: Prisma.sql`born_after`,
               bornBy: Prisma.sql`born_by`,
               age: Prisma.sql`age`,
             })} AS search_box,
             user_id::text || today::text AS jitter_seed
      FROM (
        SELECT user_id, gender, genders, earth, max_distance_km * 1000.0::float8 AS radius,
               date_part('year', age(today, birthdate))::int AS age,
               (today - make_interval(years => max_age + 1))::date AS born_after,
               (today - make_interval(years => min_age))::date AS born_by, today
        FROM discovery.candidate, (SELECT (now() AT TIME ZONE 'UTC')::date AS today) AS clock
        WHERE user_id = ${viewerId}::uuid AND earth IS NOT NULL
      ) AS me
    ),
    -- Read once per query and excluded with NOT IN, which Postgres answers from a hashed subplan
    -- (ids are never null, so NOT IN means NOT EXISTS here). NOT EXISTS was planned as a nested
    -- loop anti-join (the planner expects a row or two nearby), one pass over this list per
    -- candidate: with 1,000 swipes, central Berlin took 405 ms instead of 13.
    hidden AS MATERIALIZED (
      SELECT s.target_id AS user_id FROM viewer v JOIN discovery.swipe s ON s.swiper_id = v.user_id
      UNION
      SELECT CASE WHEN b.blocker_id = v.user_id THEN b.blocked_id ELSE b.blocker_id END
      FROM viewer v
      JOIN discovery.block b ON b.active AND (b.blocker_id = v.user_id OR b.blocked_id = v.user_id)
    ),
    nearby AS (${Prisma.join(GENDERS.map(nearbyOfGender), " UNION ALL ")})
    SELECT n.user_id::text AS "userId",
           n.meters / 1000.0::float8 AS "distanceKm",
           ${distance}::float8 * (1 - n.meters / v.radius)
             + ${activity}::float8
               * exp(-extract(epoch FROM now() - n.last_active_at) / ${ACTIVITY_DECAY_SECONDS}::float8)
             + ${completeness}::float8 * n.completeness
             + ${jitter}::float8
               * ((hashtextextended(n.user_id::text || v.jitter_seed, 0) & 65535) / 65535.0::float8)
             AS score
    FROM viewer v, nearby n
    WHERE n.user_id NOT IN (SELECT h.user_id FROM hidden h)
    ORDER BY score DESC, n.user_id
    LIMIT ${limit}`;
}

/**
 * The people of one gender around the viewer who fit mutually, if the viewer wants that gender.
 * The gender is a literal, not a parameter, so the planner picks that gender's partial GiST index
 * (see discovery.prisma); a gender the viewer does not want is filtered out on the viewer's row
 * before its index is ever scanned.
 */
function nearbyOfGender(gender: Gender): Prisma.Sql {
  const literal = Prisma.raw(`'${gender}'`);
  const meters = greatCircleMeters(Prisma.sql`v.earth`, Prisma.sql`c.earth`);
  return Prisma.sql`
    SELECT c.user_id, c.last_active_at, c.completeness, ${meters} AS meters
    FROM viewer v
    JOIN discovery.candidate c ON c.match_key && v.search_box
    WHERE c.gender = ${literal} AND ${literal} = ANY (v.genders)
      AND v.gender = ANY (c.genders)
      AND c.birthdate > v.born_after AND c.birthdate <= v.born_by
      AND v.age BETWEEN c.min_age AND c.max_age
      AND c.user_id <> v.user_id
      AND ${meters} <= least(v.radius, c.max_distance_km * 1000.0::float8)`;
}

/**
 * Runs {@link candidateQuery} on the primary. Its activity mark is a ranking hint: losing the
 * last instants of it in a crash is harmless, so the commit does not wait for the WAL flush
 * (which otherwise dominates a discover that writes).
 */
export async function findCandidates(
  prisma: PrismaClient,
  viewerId: string,
  limit: number,
): Promise<CandidateRow[]> {
  const [, rows] = await prisma.$transaction([
    prisma.$executeRaw`SET LOCAL synchronous_commit = off`,
    prisma.$queryRaw<CandidateRow[]>(candidateQuery(viewerId, limit)),
  ]);
  return rows;
}

/**
 * Runs {@link candidateQuery} on a read replica (ADR 0025), then, on the primary, marks the
 * viewer active and leaves out whom the viewer swiped since the replica's last replay: the
 * viewer's own swipes must never come back, whatever the replica's lag. A page may then be that
 * many people short.
 */
export async function findCandidatesOnReplica(
  db: { primary: PrismaClient; replica: PrismaClient },
  viewerId: string,
  limit: number,
): Promise<CandidateRow[]> {
  const rows = await db.replica.$queryRaw<CandidateRow[]>(candidateQuery(viewerId, limit, false));
  const ids = rows.map((row) => row.userId);
  // One statement, whose commit does not wait for the WAL flush either (as findCandidates):
  // set_config's local value lasts until the end of the statement's own transaction.
  const [{ swiped }] = await db.primary.$queryRaw<[{ swiped: string[] }]>`
    WITH touch AS (${touchActivity(viewerId)})
    SELECT set_config('synchronous_commit', 'off', true) AS unflushed,
           ARRAY(SELECT target_id::text FROM discovery.swipe
                 WHERE swiper_id = ${viewerId}::uuid AND target_id = ANY (${ids}::uuid[])) AS swiped`;
  const gone = new Set(swiped);
  return rows.filter((row) => !gone.has(row.userId));
}
