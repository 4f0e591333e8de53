import type { Profile as ProfileRow } from "@pulse/db";
import type { PrismaClient, ReplicatedCache } from "@pulse/platform";
import { createCardLoader } from "./profile-cards.ts";

/** Loads profiles by person (null without one) through the cards cache. */
export function createProfileLoader(
  prisma: PrismaClient,
  cache: ReplicatedCache<ProfileRow | null>,
) {
  return createCardLoader(
    cache,
    () => null,
    async (userIds) => {
      const rows = await prisma.profile.findMany({ where: { userId: { in: userIds } } });
      return new Map(rows.map((row) => [row.userId, row]));
    },
  );
}
