import { Prisma } from "@pulse/db";
import { redisKeys, type Logger, type Redis } from "@pulse/platform/server";
import type { PrismaClient } from "@pulse/platform/subgraph";
import type { LeaderboardIndex, ScoreWrite } from "./leaderboard-index.ts";

export interface IndexCatchUpDeps {
  prisma: PrismaClient;
  redis: Redis;
  redisPrefix: string;
  index: LeaderboardIndex;
  logger: Logger;
}

/** Participant writes a run reads at most; the rest wait for the next run. */
const WRITES_PER_RUN = 5_000;

/**
 * Longer than any transaction that writes a score may stay open (Prisma's interactive
 * transactions end after 5 s): a run looks again at the writes the run before it saw, so one
 * that took its version early but committed late is not passed over.
 */
export const CATCH_UP_INTERVAL_MS = 10_000;

/**
 * Applies to the leaderboards every participant write Postgres committed that Redis may have
 * missed: a replica that died between its commit and its Redis write, or a Redis that failed
 * that write. Writes carry a version from one sequence, so a run reads those after the point
 * every write before is known to be applied (kept in Redis, shared by the replicas), and the
 * index ignores the ones it already has: running it twice, or on every replica, changes nothing.
 */
export class IndexCatchUp {
  private readonly key: (...parts: string[]) => string;

  constructor(
    private readonly deps: IndexCatchUpDeps,
    private readonly intervalMs = CATCH_UP_INTERVAL_MS,
  ) {
    this.key = redisKeys(deps.redisPrefix);
  }

  /**
   * One run: how many writes it handed to the index; null when another replica (or this one)
   * ran within the interval.
   */
  async run(): Promise<number | null> {
    const { prisma, redis, index } = this.deps;
    // One hash slot, for a Redis Cluster.
    const base = this.key("competitions", "index", "{catch-up}");
    const [checkedKey, seenKey] = [`${base}:checked`, `${base}:seen`];
    // One run per interval among the replicas, so that runs are a whole interval apart.
    if (!(await redis.set(`${base}:lock`, "1", "PX", this.intervalMs, "NX"))) return null;
    const [checked, seen] = (await redis.mget(checkedKey, seenKey)) as [
      string | null,
      string | null,
    ];
    if (checked === null) {
      // The first run ever: start from now (the index was written by every sync so far).
      const [{ max }] = await prisma.$queryRaw<[{ max: bigint | null }]>(
        Prisma.sql`SELECT max(version) AS max FROM competitions.participant`,
      );
      await redis.mset(checkedKey, String(max ?? 0n), seenKey, String(max ?? 0n));
      return 0;
    }
    const rows = await prisma.$queryRaw<
      { competitionId: string; userId: string; version: bigint; scoreMilli: bigint }[]
    >(Prisma.sql`SELECT competition_id AS "competitionId", user_id AS "userId", version,
        score_milli AS "scoreMilli"
      FROM competitions.participant
      WHERE version > ${BigInt(checked)}
      ORDER BY version LIMIT ${WRITES_PER_RUN}`);
    const byBoard = new Map<string, ScoreWrite[]>();
    for (const row of rows) {
      const writes = byBoard.get(row.competitionId) ?? [];
      writes.push({ userId: row.userId, version: row.version, scoreMilli: row.scoreMilli });
      byBoard.set(row.competitionId, writes);
    }
    for (const [competitionId, writes] of byBoard) await index.apply(competitionId, writes);
    // Everything up to what the previous run saw has now been looked at twice, a run apart.
    const newest = rows.at(-1)?.version.toString() ?? seen ?? checked;
    await redis.mset(checkedKey, seen ?? checked, seenKey, newest);
    return rows.length;
  }

  /** Runs every interval until the returned function is called. */
  start(): () => void {
    const timer = setInterval(() => {
      this.run().catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, "leaderboard catch-up failed"),
      );
    }, this.intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
