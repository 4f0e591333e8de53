import { Prisma } from "@pulse/db";
import type { Viewer } from "@pulse/platform/server";
import { parseInput, type PrismaClient } from "@pulse/platform/subgraph";
import { toMilli, windowContains } from "../competition/competition.rules.ts";
import type { LeaderboardIndex, ScoreWrite, Standing } from "../leaderboard/leaderboard-index.ts";
import { syncActivitySchema, type ActivityRecord } from "./activity.input.ts";

export interface ActivityServiceDeps {
  prisma: PrismaClient;
  index: LeaderboardIndex;
  now?: () => Date;
}

/** A person's standing in one competition a sync touched. */
export interface SyncStanding extends Standing {
  competitionId: string;
}

export interface SyncResult {
  accepted: number;
  duplicates: number;
  standings: SyncStanding[];
}

/** A stored record, as a sync compares it. */
interface StoredRecord {
  externalId: string;
  metric: string;
  valueMilli: bigint;
  startedAt: Date;
  endedAt: Date;
}

/** A competition the person has joined, as a sync matches records to it. */
interface JoinedCompetition {
  id: string;
  metric: string;
  startsAt: Date;
  endsAt: Date;
}

/** Activity sync: records from health apps, counted toward the person's competitions. */
export class ActivityService {
  private readonly now: () => Date;

  constructor(private readonly deps: ActivityServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Stores a sync's records and moves the person's scores, in one transaction: all of it counts
   * or none. A record is identified by (person, source, externalId): the same one again is a
   * duplicate; with another value (or time or metric) it replaces the earlier one, and scores move
   * by the difference. A record counts toward each ACTIVE competition the person joined with its
   * metric whose window contains it. A person's syncs run one at a time (an advisory lock).
   *
   * @throws BAD_USER_INPUT on `input.records.<n>.<field>` (or `input.records`).
   */
  async sync(viewer: Viewer, input: unknown): Promise<SyncResult> {
    const now = this.now();
    const { source, records } = parseInput(syncActivitySchema(now), input, "input");
    const userId = viewer.id;
    const { accepted, duplicates, writes, touched } = await this.deps.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${userId}, 0))`;
        const stored = await tx.$queryRaw<StoredRecord[]>(
          Prisma.sql`SELECT external_id AS "externalId", metric, value_milli AS "valueMilli",
              started_at AS "startedAt", ended_at AS "endedAt"
            FROM competitions.activity_record
            WHERE user_id = ${userId}::uuid AND source = ${source}
              AND external_id = ANY(${records.map((record) => record.externalId)}::text[])`,
        );
        const byId = new Map(stored.map((record) => [record.externalId, record]));
        const changed: { next: ActivityRecord; previous: StoredRecord | undefined }[] = [];
        let duplicateCount = 0;
        for (const record of records) {
          const previous = byId.get(record.externalId);
          if (previous && sameRecord(previous, record)) duplicateCount += 1;
          else changed.push({ next: record, previous });
        }
        if (changed.length > 0) {
          const rows = changed.map(({ next }) => next);
          await tx.$executeRaw(
            Prisma.sql`INSERT INTO competitions.activity_record
                (user_id, source, external_id, metric, value_milli, started_at, ended_at)
              SELECT ${userId}::uuid, ${source}, r.external_id, r.metric, r.value_milli, r.started_at, r.ended_at
              FROM unnest(${rows.map((r) => r.externalId)}::text[], ${rows.map((r) => r.metric)}::text[],
                ${rows.map((r) => toMilli(r.value).toString())}::bigint[],
                ${rows.map((r) => r.startedAt)}::timestamptz[], ${rows.map((r) => r.endedAt)}::timestamptz[])
                AS r(external_id, metric, value_milli, started_at, ended_at)
              ON CONFLICT (user_id, source, external_id) DO UPDATE SET metric = EXCLUDED.metric,
                value_milli = EXCLUDED.value_milli, started_at = EXCLUDED.started_at,
                ended_at = EXCLUDED.ended_at, synced_at = now()`,
          );
        }
        const metrics = [
          ...new Set([...records.map((r) => r.metric), ...stored.map((r) => r.metric)]),
        ];
        // The person's competitions still counting: joined, of a synced metric, not finished.
        const competitions = await tx.$queryRaw<JoinedCompetition[]>(
          Prisma.sql`SELECT c.id, c.metric, c.starts_at AS "startsAt", c.ends_at AS "endsAt"
            FROM competitions.participant p
            JOIN competitions.competition c ON c.id = p.competition_id
            WHERE p.user_id = ${userId}::uuid AND c.metric = ANY(${metrics}::text[])
              AND c.starts_at <= ${now} AND c.ends_at > ${now}`,
        );
        const deltas = new Map<string, bigint>();
        const touchedIds = new Set<string>();
        for (const competition of competitions) {
          let delta = 0n;
          const counts = (record: { metric: string; startedAt: Date; endedAt: Date }) =>
            record.metric === competition.metric && windowContains(competition, record);
          for (const record of records) if (counts(record)) touchedIds.add(competition.id);
          for (const { next, previous } of changed) {
            if (counts(next)) delta += toMilli(next.value);
            if (previous && counts(previous)) {
              delta -= previous.valueMilli;
              touchedIds.add(competition.id);
            }
          }
          if (delta !== 0n) deltas.set(competition.id, delta);
        }
        let updated: { competitionId: string; scoreMilli: bigint; version: bigint }[] = [];
        if (deltas.size > 0) {
          updated = await tx.$queryRaw(
            Prisma.sql`UPDATE competitions.participant p
              SET score_milli = p.score_milli + d.delta, version = nextval('competitions.score_version_seq')
              FROM unnest(${[...deltas.keys()]}::uuid[], ${[...deltas.values()].map(String)}::bigint[])
                AS d(competition_id, delta)
              WHERE p.competition_id = d.competition_id AND p.user_id = ${userId}::uuid
              RETURNING p.competition_id AS "competitionId", p.score_milli AS "scoreMilli", p.version`,
          );
        }
        return {
          accepted: changed.length,
          duplicates: duplicateCount,
          touched: [...touchedIds],
          writes: updated,
        };
      },
    );
    const standings: SyncStanding[] = [];
    for (const competitionId of touched) {
      const write = writes.find((row) => row.competitionId === competitionId);
      if (write) {
        const scoreWrite: ScoreWrite = {
          userId,
          version: write.version,
          scoreMilli: write.scoreMilli,
        };
        const [rank] = await this.deps.index.apply(competitionId, [scoreWrite]);
        // A newer write of this person was applied first: read where they stand now.
        if (rank) {
          standings.push({ competitionId, rank, scoreMilli: write.scoreMilli });
          continue;
        }
      }
      const { standing } = await this.deps.index.standing(competitionId, userId);
      if (standing) standings.push({ competitionId, ...standing });
    }
    return { accepted, duplicates, standings };
  }
}

function sameRecord(stored: StoredRecord, record: ActivityRecord): boolean {
  return (
    stored.metric === record.metric &&
    stored.valueMilli === toMilli(record.value) &&
    stored.startedAt.getTime() === record.startedAt.getTime() &&
    stored.endedAt.getTime() === record.endedAt.getTime()
  );
}
