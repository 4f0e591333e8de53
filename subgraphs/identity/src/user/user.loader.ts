import { createKeyedLoader, type PrismaClient } from "@pulse/platform";
import type { Account } from "@pulse/db";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Loads accounts by id, one query per batch; ids that are not UUIDs simply find nothing. */
export function createAccountLoader(prisma: PrismaClient) {
  return createKeyedLoader<string, Account>(
    (ids) => prisma.account.findMany({ where: { id: { in: ids.filter((id) => UUID.test(id)) } } }),
    (account) => account.id,
  );
}
