import type { Profile as ProfileRow } from "@pulse/db";
import { createKeyedLoader, isUuid, type PrismaClient } from "@pulse/platform";

/** Loads profiles by person, one query per batch. */
export function createProfileLoader(prisma: PrismaClient) {
  return createKeyedLoader<string, ProfileRow>(
    (userIds) => prisma.profile.findMany({ where: { userId: { in: userIds.filter(isUuid) } } }),
    (profile) => profile.userId,
  );
}
