import { Prisma } from "@pulse/db";

/**
 * The great-circle distance in metres between two `earth` points: what earthdistance's
 * `earth_distance(a, b)` answers, computed the same way (`2 R asin(chord / 2R)`, with R =
 * `earth()`), but inline.
 *
 * Why not `earth_distance`: it calls `sec_to_gc`, a SQL function that Postgres cannot inline (it is
 * STRICT and uses its argument several times), so every call runs the SQL-function executor:
 * about 2 µs a row, most of discover's time where mutual fits number in the thousands. Built-in
 * `asin` and `cube_distance` cost a fraction of that. The chord never exceeds 2R for points on
 * the sphere; `least(…, 1)` only guards `asin` against rounding, where `sec_to_gc` answers πR.
 */
export function greatCircleMeters(a: Prisma.Sql, b: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(2 * earth() * asin(least(cube_distance(${a}, ${b}) / (2 * earth()), 1)))`;
}
