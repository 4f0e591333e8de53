import { randomUUID } from "node:crypto";
import { Prisma, type Competition as CompetitionRow } from "@pulse/db";
import { conflict, notFound, paymentRequired, type Viewer } from "@pulse/platform/server";
import {
  isUuid,
  pageSize,
  parseInput,
  toConnection,
  type Connection,
  type Outbox,
  type PrismaClient,
  type PrismaTransaction,
} from "@pulse/platform/subgraph";
import type { LeaderboardIndex, ScoreWrite } from "../leaderboard/leaderboard-index.ts";
import { competitionPosition, decodeCompetitionCursor } from "./competition.cursor.ts";
import { createCompetitionSchema } from "./competition.input.ts";
import { statusAt, type CompetitionStatus } from "./competition.rules.ts";

export interface CompetitionServiceDeps {
  prisma: PrismaClient;
  outbox: Outbox;
  index: LeaderboardIndex;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** Why a person could not take a place. */
export type SeatRefusal = "NOT_FOUND" | "FINISHED" | "ALREADY_JOINED" | "UNPAID" | "FULL";

export type SeatResult =
  | { seated: true; competition: CompetitionRow; write: ScoreWrite }
  | { seated: false; reason: SeatRefusal; competition: CompetitionRow | null };

/** Competitions: creating, listing, joining and leaving. */
export class CompetitionService {
  readonly now: () => Date;

  constructor(private readonly deps: CompetitionServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Creates a competition and, in the same transaction, tells billing its fee
   * (`competition.created`).
   *
   * @throws BAD_USER_INPUT on the offending `input.<field>`.
   */
  async create(viewer: Viewer, input: unknown): Promise<CompetitionRow> {
    const fields = parseInput(createCompetitionSchema(this.now()), input, "input");
    return this.deps.prisma.$transaction(async (tx) => {
      const competition = await tx.competition.create({
        data: { id: randomUUID(), ...fields, createdBy: viewer.id },
      });
      await this.deps.outbox.record(tx, "competition.created", {
        competitionId: competition.id,
        name: competition.name,
        entryFeeCents: competition.entryFeeCents,
        currency: competition.currency,
        startsAt: competition.startsAt.toISOString(),
        endsAt: competition.endsAt.toISOString(),
      });
      return competition;
    });
  }

  /** A competition by id, or null. */
  get(id: string): Promise<CompetitionRow | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.deps.prisma.competition.findUnique({ where: { id } });
  }

  /** A competition by id. @throws NOT_FOUND */
  async require(id: string): Promise<CompetitionRow> {
    const competition = await this.get(id);
    if (!competition) throw notFound("No such competition");
    return competition;
  }

  /**
   * Competitions (of one status, or all) in (startsAt, id) order, a page after `after`. The
   * status is compared with the clock in the query, so it is never stale.
   */
  async list(
    status: CompetitionStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<CompetitionRow>> {
    const size = pageSize(first);
    const cursor = after ? decodeCompetitionCursor(after) : null;
    const now = this.now();
    const where: Prisma.CompetitionWhereInput[] = [];
    if (status === "UPCOMING") where.push({ startsAt: { gt: now } });
    if (status === "ACTIVE") where.push({ startsAt: { lte: now }, endsAt: { gt: now } });
    if (status === "FINISHED") where.push({ endsAt: { lte: now } });
    if (cursor) {
      where.push({
        OR: [
          { startsAt: { gt: cursor.startsAt } },
          { startsAt: cursor.startsAt, id: { gt: cursor.id } },
        ],
      });
    }
    const rows = await this.deps.prisma.competition.findMany({
      where: { AND: where },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      take: size + 1,
    });
    return toConnection(rows, size, competitionPosition);
  }

  /**
   * Joins the viewer. Only UPCOMING or ACTIVE competitions; a competition with a fee needs the
   * viewer's paid entry (billing's `entry.paid`); `maxParticipants` holds under concurrency
   * (the competition's row is locked while its places are counted).
   *
   * @throws NOT_FOUND, CONFLICT (finished, already joined, full), PAYMENT_REQUIRED.
   */
  async join(viewer: Viewer, competitionId: string): Promise<CompetitionRow> {
    if (!isUuid(competitionId)) throw notFound("No such competition");
    const result = await this.deps.prisma.$transaction((tx) =>
      this.seat(tx, competitionId, viewer.id, { requirePaid: true }),
    );
    if (!result.seated) throw refusal(result.reason);
    await this.deps.index.applyQuietly(competitionId, [result.write]);
    return result.competition;
  }

  /**
   * Takes a place for `userId` inside `tx`, holding the competition's row lock until it commits.
   * The new participant's score is what their records inside the window already add up to.
   */
  async seat(
    tx: PrismaTransaction,
    competitionId: string,
    userId: string,
    options: { requirePaid: boolean },
  ): Promise<SeatResult> {
    const [competition] = await tx.$queryRaw<CompetitionRow[]>(
      Prisma.sql`SELECT id, name, description, metric, starts_at AS "startsAt", ends_at AS "endsAt",
          entry_fee_cents AS "entryFeeCents", currency, max_participants AS "maxParticipants",
          created_by AS "createdBy", created_at AS "createdAt",
          participant_count AS "participantCount", ratings_applied_at AS "ratingsAppliedAt"
        FROM competitions.competition WHERE id = ${competitionId}::uuid FOR UPDATE`,
    );
    if (!competition) return { seated: false, reason: "NOT_FOUND", competition: null };
    const refuse = (reason: SeatRefusal): SeatResult => ({ seated: false, reason, competition });
    if (statusAt(competition, this.now()) === "FINISHED") return refuse("FINISHED");
    const joined = await tx.competitionParticipant.findUnique({
      where: { competitionId_userId: { competitionId, userId } },
      select: { userId: true },
    });
    if (joined) return refuse("ALREADY_JOINED");
    if (options.requirePaid && competition.entryFeeCents > 0) {
      const paid = await tx.competitionEntry.findFirst({
        where: { competitionId, userId, status: "PAID" },
        select: { paymentId: true },
      });
      if (!paid) return refuse("UNPAID");
    }
    if (
      competition.maxParticipants !== null &&
      competition.participantCount >= competition.maxParticipants
    ) {
      return refuse("FULL");
    }
    const [participant] = await tx.$queryRaw<{ scoreMilli: bigint; version: bigint }[]>(
      Prisma.sql`INSERT INTO competitions.participant (competition_id, user_id, score_milli, version)
        SELECT ${competitionId}::uuid, ${userId}::uuid, COALESCE(SUM(value_milli), 0),
          nextval('competitions.score_version_seq')
        FROM competitions.activity_record
        WHERE user_id = ${userId}::uuid AND metric = ${competition.metric}
          AND started_at >= ${competition.startsAt} AND ended_at <= ${competition.endsAt}
        RETURNING score_milli AS "scoreMilli", version`,
    );
    const updated = await tx.competition.update({
      where: { id: competitionId },
      data: { participantCount: { increment: 1 } },
    });
    await tx.rating.createMany({ data: [{ userId }], skipDuplicates: true });
    return {
      seated: true,
      competition: updated,
      write: { userId, version: participant!.version, scoreMilli: participant!.scoreMilli },
    };
  }

  /**
   * The viewer leaves, until the competition finishes. A paid entry stays paid, so rejoining
   * costs nothing.
   *
   * @throws NOT_FOUND, CONFLICT (finished, not joined).
   */
  async leave(viewer: Viewer, competitionId: string): Promise<CompetitionRow> {
    if (!isUuid(competitionId)) throw notFound("No such competition");
    const { competition, write } = await this.deps.prisma.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<{ startsAt: Date; endsAt: Date }[]>(
        Prisma.sql`SELECT starts_at AS "startsAt", ends_at AS "endsAt" FROM competitions.competition
          WHERE id = ${competitionId}::uuid FOR UPDATE`,
      );
      if (!locked) throw notFound("No such competition");
      if (statusAt(locked, this.now()) === "FINISHED") {
        throw conflict("The competition has finished");
      }
      const removed = await removeParticipant(tx, competitionId, viewer.id);
      if (!removed) throw conflict("Not a participant of this competition");
      const row = await tx.competition.findUniqueOrThrow({ where: { id: competitionId } });
      return { competition: row, write: removed };
    });
    await this.deps.index.applyQuietly(competitionId, [write]);
    return competition;
  }
}

/**
 * Removes a participant inside `tx` and gives back their places count. The caller holds the
 * competition's row lock (or does not need the count to be exact at once).
 *
 * @returns the index write that takes them off the board, or null when they were not in.
 */
export async function removeParticipant(
  tx: PrismaTransaction,
  competitionId: string,
  userId: string,
): Promise<ScoreWrite | null> {
  const [removed] = await tx.$queryRaw<{ version: bigint }[]>(
    Prisma.sql`DELETE FROM competitions.participant
      WHERE competition_id = ${competitionId}::uuid AND user_id = ${userId}::uuid
      RETURNING nextval('competitions.score_version_seq') AS version`,
  );
  if (!removed) return null;
  await tx.competition.update({
    where: { id: competitionId },
    data: { participantCount: { decrement: 1 } },
  });
  return { userId, version: removed.version, scoreMilli: null };
}

function refusal(reason: SeatRefusal) {
  switch (reason) {
    case "NOT_FOUND":
      return notFound("No such competition");
    case "FINISHED":
      return conflict("The competition has finished");
    case "ALREADY_JOINED":
      return conflict("Already joined");
    case "UNPAID":
      return paymentRequired("This competition has an entry fee: pay it first");
    case "FULL":
      return conflict("The competition is full");
  }
}
