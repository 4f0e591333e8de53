import { Prisma } from "@pulse/db";
import type { Logger } from "@pulse/platform/server";
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  type Connection,
  type PrismaClient,
} from "@pulse/platform/subgraph";
import { z } from "zod";
import { ratingChanges, type Finisher } from "./rating.rules.ts";

export interface RatingServiceDeps {
  prisma: PrismaClient;
  /** Lag-tolerant reads (ADR 0025): the ladder, on the replica when there is one. */
  reads: PrismaClient;
  logger: Logger;
  now?: () => Date;
}

export interface RatingEntryRow {
  userId: string;
  rating: number;
  rank: number;
}

/** A ladder page's keyset: rating and user id. */
const cursorSchema = z.tuple([z.number().int(), z.uuid()]);

/** Competitions a sweep reads at a time. */
const SWEEP_BATCH = 20;

/** The rating ladder: finished competitions applied once, and the ladder itself. */
export class RatingService {
  private readonly now: () => Date;

  constructor(private readonly deps: RatingServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Applies the final standings of every finished competition not applied yet, each in its own
   * transaction, which first claims the competition (`ratings_applied_at`, set once): a finish is
   * applied exactly once, whatever restarts or however many replicas sweep at once.
   *
   * @returns the ids of the competitions applied.
   */
  async applyFinished(): Promise<string[]> {
    const applied: string[] = [];
    for (;;) {
      const due = await this.deps.prisma.competition.findMany({
        where: { ratingsAppliedAt: null, endsAt: { lte: this.now() } },
        select: { id: true },
        orderBy: { endsAt: "asc" },
        take: SWEEP_BATCH,
      });
      for (const { id } of due) {
        if (await this.applyFinish(id)) applied.push(id);
      }
      // A batch at a time, until none is left.
      if (due.length < SWEEP_BATCH) return applied;
    }
  }

  /** Applies one finished competition's standings unless already applied. */
  async applyFinish(competitionId: string): Promise<boolean> {
    const now = this.now();
    return this.deps.prisma.$transaction(
      async (tx) => {
        const claimed = await tx.$executeRaw`UPDATE competitions.competition
          SET ratings_applied_at = ${now}
          WHERE id = ${competitionId}::uuid AND ratings_applied_at IS NULL AND ends_at <= ${now}`;
        if (claimed === 0) return false;
        // Everyone has a rating (1000 until a finish moves it).
        await tx.$executeRaw`INSERT INTO competitions.rating (user_id)
          SELECT user_id FROM competitions.participant WHERE competition_id = ${competitionId}::uuid
          ON CONFLICT DO NOTHING`;
        // Locked in id order, so finishes sharing people never deadlock.
        const finishers = await tx.$queryRaw<Finisher[]>(
          Prisma.sql`SELECT r.user_id AS "userId", r.rating, p.score_milli AS "scoreMilli"
            FROM competitions.participant p
            JOIN competitions.rating r ON r.user_id = p.user_id
            WHERE p.competition_id = ${competitionId}::uuid
            ORDER BY r.user_id FOR UPDATE OF r`,
        );
        const changes = ratingChanges(finishers);
        if (changes.length > 0) {
          await tx.$executeRaw(
            Prisma.sql`UPDATE competitions.rating r SET rating = c.after, updated_at = ${now}
              FROM unnest(${changes.map((c) => c.userId)}::uuid[], ${changes.map((c) => c.after)}::int[])
                AS c(user_id, after)
              WHERE r.user_id = c.user_id`,
          );
          await tx.$executeRaw(
            Prisma.sql`INSERT INTO competitions.rating_change (competition_id, user_id, before, after, rank)
              SELECT ${competitionId}::uuid, c.user_id, c.before, c.after, c.rank
              FROM unnest(${changes.map((c) => c.userId)}::uuid[], ${changes.map((c) => c.before)}::int[],
                ${changes.map((c) => c.after)}::int[], ${changes.map((c) => c.rank)}::int[])
                AS c(user_id, before, after, rank)`,
          );
        }
        this.deps.logger.info(
          { competitionId, participants: changes.length },
          "competition finished: ratings applied",
        );
        return true;
      },
      { timeout: 60_000 },
    );
  }

  /**
   * The ladder, highest rating first (ties by user id, descending), a page after `after`. Ties
   * share a rank: 1 + the number of people rated strictly higher. Ratings move only when a
   * competition finishes, so the replica's lag is harmless here.
   */
  async ladder(
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<RatingEntryRow>> {
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, cursorSchema) : null;
    const rows = await this.deps.reads.$queryRaw<{ userId: string; rating: number }[]>(
      Prisma.sql`SELECT user_id AS "userId", rating FROM competitions.rating
        ${cursor ? Prisma.sql`WHERE (rating, user_id) < (${cursor[0]}, ${cursor[1]}::uuid)` : Prisma.empty}
        ORDER BY rating DESC, user_id DESC LIMIT ${size + 1}`,
    );
    const page = rows.slice(0, size);
    let ranked: RatingEntryRow[] = [];
    if (page.length > 0) {
      const head = page[0]!;
      // Where the page's first entry stands: those rated higher, and its ties before it.
      const [position] = await this.deps.reads.$queryRaw<{ higher: bigint; tiedBefore: bigint }[]>(
        Prisma.sql`SELECT count(*) FILTER (WHERE rating > ${head.rating}) AS higher,
            count(*) FILTER (WHERE rating = ${head.rating} AND user_id > ${head.userId}::uuid) AS "tiedBefore"
          FROM competitions.rating WHERE rating >= ${head.rating}`,
      );
      const start = Number(position!.higher + position!.tiedBefore);
      ranked = page.map((row, index) => ({ ...row, rank: start + index + 1 }));
      for (let i = 0; i < ranked.length; i += 1) {
        const previous = ranked[i - 1];
        if (i === 0) ranked[i]!.rank = Number(position!.higher) + 1;
        else if (previous!.rating === ranked[i]!.rating) ranked[i]!.rank = previous!.rank;
      }
    }
    const edges = ranked.map((node) => ({
      cursor: encodeCursor([node.rating, node.userId]),
      node,
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > size,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}
