import { Prisma } from "@pulse/db";

/**
 * A person's match key: one point (a cube) that a single GiST lookup can test against everything
 * discover asks of a candidate that an index can answer. Dimensions: `ll_to_earth`'s x, y, z
 * (metres), the birthdate (days since 1970) and, as an interval, the age range they accept.
 * A viewer's {@link searchBox} holds a key when the person is within the viewer's earth box, born
 * within the viewer's age range, and accepts the viewer's age; `&&` (overlap) tests that, since
 * the key's last dimension is an interval and the box's is a point. Null without a location.
 */
export function matchKey(person: {
  latitude: Prisma.Sql;
  longitude: Prisma.Sql;
  birthdate: Prisma.Sql;
  minAge: Prisma.Sql;
  maxAge: Prisma.Sql;
}): Prisma.Sql {
  const born = daysSinceEpoch(person.birthdate);
  return Prisma.sql`cube(cube(ll_to_earth(${person.latitude}, ${person.longitude})::cube,
    ${born}, ${born}), ${person.minAge}::float8, ${person.maxAge}::float8)`;
}

/**
 * The box of match keys a viewer looks for: `earth_box` (the bounding cube of their radius), birth
 * days after `bornAfter` up to `bornBy`, and their own age.
 */
export function searchBox(viewer: {
  earth: Prisma.Sql;
  radiusMeters: Prisma.Sql;
  bornAfter: Prisma.Sql;
  bornBy: Prisma.Sql;
  age: Prisma.Sql;
}): Prisma.Sql {
  return Prisma.sql`cube(cube(earth_box(${viewer.earth}, ${viewer.radiusMeters}),
    ${daysSinceEpoch(viewer.bornAfter)} + 1, ${daysSinceEpoch(viewer.bornBy)}),
    ${viewer.age}::float8, ${viewer.age}::float8)`;
}

function daysSinceEpoch(date: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${date}::date - date '1970-01-01')::float8`;
}
