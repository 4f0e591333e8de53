import type { Competition as CompetitionRow } from "@pulse/db";
import { Prisma } from "@pulse/db";
import { createKeyedLoader, isUuid, type PrismaClient } from "@pulse/platform/subgraph";

/** What competitions' loaders are made from: the database and whose request it is. */
export interface CompetitionsLoaderDeps {
  prisma: PrismaClient;
  viewerId: string | undefined;
}

/** Request-scoped competition loaders, each one statement per batch. */
export const competitionLoaders = {
  /** Competitions by id; ids that are not UUIDs find nothing. */
  competition: ({ prisma }: CompetitionsLoaderDeps) =>
    createKeyedLoader<string, CompetitionRow>(
      (ids) => prisma.competition.findMany({ where: { id: { in: ids.filter(isUuid) } } }),
      (competition) => competition.id,
    ),
  /** Whether the viewer has joined each competition (by id): one statement per page. */
  joined: ({ prisma, viewerId }: CompetitionsLoaderDeps) =>
    createKeyedLoader<string, string>(
      async (ids) => {
        if (!viewerId) return [];
        const rows = await prisma.$queryRaw<{ id: string }[]>(
          Prisma.sql`SELECT competition_id AS id FROM competitions.participant
            WHERE user_id = ${viewerId}::uuid AND competition_id = ANY(${ids.filter(isUuid)}::uuid[])`,
        );
        return rows.map((row) => row.id);
      },
      (id) => id,
    ),
};
