import { createKeyedLoader, type PrismaClient } from "@pulse/platform/subgraph";

/** Request-scoped loaders of billing's per-person rows. */
export const membershipLoaders = {
  membership: ({ prisma }: { prisma: PrismaClient }) =>
    createKeyedLoader(
      (userIds: readonly string[]) =>
        prisma.membership.findMany({ where: { userId: { in: [...userIds] } } }),
      (row) => row.userId,
    ),
};
