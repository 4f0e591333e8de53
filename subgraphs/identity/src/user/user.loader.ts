import { createKeyedLoader, isUuid, type PrismaClient } from "@pulse/platform/subgraph";
import type { Account } from "@pulse/db";

/** Loads accounts by id, one query per batch; ids that are not UUIDs simply find nothing. */
export function createAccountLoader(prisma: PrismaClient) {
  return createKeyedLoader<string, Account>(
    (ids) => prisma.account.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
    (account) => account.id,
  );
}
