import { Prisma } from "@pulse/db";

/**
 * A data-modifying CTE body that marks `userId` active. Activity is a ranking signal that decays
 * over days, so minute resolution is plenty: repeated calls within a minute write nothing.
 */
export function touchActivity(userId: string): Prisma.Sql {
  return Prisma.sql`UPDATE discovery.candidate SET last_active_at = now()
    WHERE user_id = ${userId}::uuid AND last_active_at < now() - interval '1 minute'`;
}
