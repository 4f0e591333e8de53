import type { Match } from "@pulse/db";
import { createKeyedLoader, isUuid, type PrismaClient } from "@pulse/platform/subgraph";

/** Loads matches by id, one query per batch; ids that are not UUIDs simply find nothing. */
export function createMatchLoader(prisma: PrismaClient) {
  return createKeyedLoader<string, Match>(
    (ids) => prisma.match.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
    (match) => match.id,
  );
}
