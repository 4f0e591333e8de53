import { Prisma } from "@pulse/db";

/** A condition true when either person has an active block on the other. */
export function blockedBetween(a: Prisma.Sql, b: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (
    SELECT 1 FROM discovery.block b
    WHERE b.active AND ((b.blocker_id = ${a} AND b.blocked_id = ${b})
                     OR (b.blocker_id = ${b} AND b.blocked_id = ${a})))`;
}
