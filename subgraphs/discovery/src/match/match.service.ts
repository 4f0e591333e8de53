import { randomUUID } from "node:crypto";
import type { Match as MatchRow, Prisma } from "@pulse/db";
import { badUserInput, notFound, type Logger, type Viewer } from "@pulse/platform/server";
import {
  isUuid,
  pageSize,
  PREPARED,
  replayNumbered,
  toConnection,
  type Connection,
  type LivePubSub,
  type Outbox,
  type PrismaClient,
  type PrismaTransaction,
} from "@pulse/platform/subgraph";
import { orderedPair } from "../user/user.rules.ts";
import { matchCreatedTopic, toLive, type LiveMatch } from "./match-created.topic.ts";
import { before, decodeMatchCursor, decodeMatchFeedCursor, matchKey } from "./match.cursor.ts";
import { isParticipant, matchPosition, viewMatch } from "./match.view.ts";
import type { Match } from "./match.type.ts";

/** Matches a resumed `matchCreated` reads per statement of its replay. */
const REPLAY_PAGE_SIZE = 100;

/**
 * Where `matchCreated` starts, first that is given: after the gateway's resume position, after
 * the client's match cursor, with the matches made since `since` (when the subscriber asked), or
 * with those made from now on.
 */
export interface MatchFeedStart {
  resumeAfter?: string | undefined;
  after?: string | null | undefined;
  since?: Date | undefined;
}

/** Why a match ended, as `match.ended` tells chat. */
export type MatchEndReason = "UNMATCHED" | "BLOCKED" | "USER_DELETED";

/** The viewer's matches that have not ended. */
function current(viewer: Viewer) {
  return { endedAt: null, OR: [{ userLow: viewer.id }, { userHigh: viewer.id }] };
}

export interface MatchServiceDeps {
  prisma: PrismaClient;
  outbox: Outbox;
  live: LivePubSub;
  logger: Logger;
  /** Matches a resumed feed replays per page (default {@link REPLAY_PAGE_SIZE}). */
  replayPageSize?: number;
}

/** Matches: creating and ending them (with their events), listing them, announcing new ones. */
export class MatchService {
  constructor(private readonly deps: MatchServiceDeps) {}

  /** The viewer's current matches, newest first, a keyset page at a time. */
  async list(
    viewer: Viewer,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<Match>> {
    const size = pageSize(first);
    const position = after ? decodeMatchCursor(after) : undefined;
    const rows = await this.deps.prisma.match.findMany({
      where: { ...current(viewer), ...(position && { AND: before(position) }) },
      orderBy: [{ matchedAt: "desc" }, { id: "desc" }],
      take: size + 1,
    });
    return toConnection(
      rows.map((row) => viewMatch(row, viewer.id)),
      size,
      matchKey,
    );
  }

  /**
   * `matchCreated`: the viewer's new matches, live, in the order they were made (each is
   * published after its commit by whichever replica made it, so one that overtook another waits
   * for it, read from Postgres). Started after a match (the last one the gateway received before
   * its socket to discovery dropped, or the client's `after`), or from when the subscriber asked,
   * it first replays the viewer's current matches made since, then goes on live, with no gap and
   * no duplicate.
   *
   * @throws BAD_USER_INPUT for a resume position or cursor we did not make, or a cursor of
   * another person's match.
   */
  async feed(viewer: Viewer, from: MatchFeedStart): Promise<AsyncIterableIterator<LiveMatch>> {
    const { live, replayPageSize = REPLAY_PAGE_SIZE } = this.deps;
    // Read before subscribing: what is made meanwhile is read once the subscription took.
    const start = await this.feedStart(viewer.id, from);
    return replayNumbered({
      live: await live.subscribe<LiveMatch>(matchCreatedTopic(viewer.id)),
      start,
      lastMade: () => this.lastPosition(viewer.id),
      numberOf: (match) => BigInt(match.position),
      after: (position) => this.currentAfter(viewer.id, position, replayPageSize),
      pageSize: replayPageSize,
    });
  }

  /** The place among the person's matches after which `matchCreated` starts. */
  private async feedStart(userId: string, from: MatchFeedStart): Promise<bigint> {
    if (from.resumeAfter) return decodeMatchFeedCursor(from.resumeAfter, "resumeAfter");
    if (from.after) return this.placeOf(userId, decodeMatchCursor(from.after).id);
    if (from.since) return this.placedBefore(userId, from.since);
    return this.lastPosition(userId);
  }

  /**
   * The place of match `matchId` among the person's matches (ended or not).
   *
   * @throws BAD_USER_INPUT on `after` when it is not one of their matches.
   */
  private async placeOf(userId: string, matchId: string): Promise<bigint> {
    const match = await this.deps.prisma.match.findUnique({ where: { id: matchId } });
    if (!match || !isParticipant(match, userId)) {
      throw badUserInput("after", "The cursor is not of one of your matches");
    }
    return matchPosition(match, userId);
  }

  /**
   * The place of the person's newest match made before `since` (0 if none): the later of the two
   * sides of the pair, each read back from its newest along its index. Places are handed out as
   * matches are made, so those that follow were made, and committed, at about `since` or later
   * (a transaction's length; `SUBSCRIBED_AT_MARGIN_MS` covers it).
   */
  private async placedBefore(userId: string, since: Date): Promise<bigint> {
    const [found] = await this.deps.prisma.$queryRaw<{ position: bigint | null }[]>`${PREPARED}
      SELECT GREATEST(
        (SELECT low_position FROM discovery.match
         WHERE user_low = ${userId}::uuid AND matched_at < ${since.toISOString()}::timestamptz
         ORDER BY low_position DESC LIMIT 1),
        (SELECT high_position FROM discovery.match
         WHERE user_high = ${userId}::uuid AND matched_at < ${since.toISOString()}::timestamptz
         ORDER BY high_position DESC LIMIT 1)) AS position`;
    return found?.position ?? 0n;
  }

  /** The last place handed out among the person's matches (0 before their first). */
  private async lastPosition(userId: string): Promise<bigint> {
    const [counter] = await this.deps.prisma.$queryRaw<{ lastPosition: bigint }[]>`${PREPARED}
      SELECT last_position AS "lastPosition" FROM discovery.match_counter
      WHERE user_id = ${userId}::uuid`;
    return counter?.lastPosition ?? 0n;
  }

  /**
   * Up to `limit` of the person's current matches placed after `position`, in order: the two
   * sides of the pair (low, high), each read in order along its index, merged.
   */
  private async currentAfter(
    userId: string,
    position: bigint,
    limit: number,
  ): Promise<LiveMatch[]> {
    const { prisma } = this.deps;
    const [asLow, asHigh] = await Promise.all([
      prisma.match.findMany({
        where: { userLow: userId, lowPosition: { gt: position }, endedAt: null },
        orderBy: { lowPosition: "asc" },
        take: limit,
      }),
      prisma.match.findMany({
        where: { userHigh: userId, highPosition: { gt: position }, endedAt: null },
        orderBy: { highPosition: "asc" },
        take: limit,
      }),
    ]);
    return [...asLow, ...asHigh]
      .sort((a, b) => Number(matchPosition(a, userId) - matchPosition(b, userId)))
      .slice(0, limit)
      .map((match) => toLive(match, userId));
  }

  /**
   * Ends one of the viewer's matches. Ending one that already ended is fine (true).
   *
   * @throws NOT_FOUND when there is no such match or the viewer is not in it.
   */
  async unmatch(viewer: Viewer, matchId: string): Promise<true> {
    const { prisma } = this.deps;
    const match = isUuid(matchId)
      ? await prisma.match.findUnique({ where: { id: matchId } })
      : null;
    if (!match || !isParticipant(match, viewer.id)) throw notFound("No such match");
    await prisma.$transaction((tx) => this.end(tx, { id: match.id }, "UNMATCHED"));
    return true;
  }

  /** The current match of a pair, if any. */
  async activeMatch(tx: PrismaTransaction, a: string, b: string): Promise<MatchRow | null> {
    const [userLow, userHigh] = orderedPair(a, b);
    return tx.match.findFirst({ where: { userLow, userHigh, endedAt: null } });
  }

  /**
   * Creates the match of a pair and records `match.created`, in the caller's transaction, which
   * holds the pair's lock: a pair matched before gets nothing (null). The match takes the next
   * place among both people's matches, locking their counters in user-id order (the one order
   * every creator takes them in, each holding one pair's lock) until the transaction commits.
   */
  async create(tx: PrismaTransaction, a: string, b: string): Promise<MatchRow | null> {
    const [userLow, userHigh] = orderedPair(a, b);
    const [match] = await tx.$queryRaw<MatchRow[]>`
      WITH new_pair AS (
        SELECT WHERE NOT EXISTS (
          SELECT FROM discovery.match
          WHERE user_low = ${userLow}::uuid AND user_high = ${userHigh}::uuid)
      ), placed AS (
        INSERT INTO discovery.match_counter AS counter (user_id, last_position)
        SELECT ${userLow}::uuid, 1 FROM new_pair
        UNION ALL SELECT ${userHigh}::uuid, 1 FROM new_pair
        ON CONFLICT (user_id) DO UPDATE SET last_position = counter.last_position + 1
        RETURNING user_id, last_position
      )
      INSERT INTO discovery.match (id, user_low, user_high, low_position, high_position)
      SELECT ${randomUUID()}::uuid, low.user_id, high.user_id, low.last_position,
             high.last_position
      FROM placed AS low JOIN placed AS high
        ON low.user_id = ${userLow}::uuid AND high.user_id = ${userHigh}::uuid
      RETURNING id, user_low AS "userLow", user_high AS "userHigh", matched_at AS "matchedAt",
                ended_at AS "endedAt", ended_reason AS "endedReason",
                low_position AS "lowPosition", high_position AS "highPosition"`;
    if (!match) return null;
    await this.deps.outbox.record(tx, "match.created", {
      matchId: match.id,
      userIds: [userLow, userHigh],
      matchedAt: match.matchedAt.toISOString(),
    });
    return match;
  }

  /** Ends the current matches `where` selects and records `match.ended` for each. */
  async end(
    tx: PrismaTransaction,
    where: Prisma.MatchWhereInput,
    reason: MatchEndReason,
  ): Promise<void> {
    const ended = await tx.match.updateManyAndReturn({
      where: { AND: [where, { endedAt: null }] },
      data: { endedAt: new Date(), endedReason: reason },
    });
    for (const match of ended) {
      await this.deps.outbox.record(tx, "match.ended", {
        matchId: match.id,
        userIds: [match.userLow, match.userHigh],
        endedAt: (match.endedAt ?? new Date()).toISOString(),
        reason,
      });
    }
  }

  /**
   * Tells both people of a new match, live, each seeing the other as `user`. Live notifications
   * are not durable: a failure is logged, the match stands (and shows in `matches`).
   */
  async announce(match: MatchRow): Promise<void> {
    const { live, logger } = this.deps;
    await Promise.all(
      [match.userLow, match.userHigh].map((userId) =>
        live.publish(matchCreatedTopic(userId), toLive(match, userId)),
      ),
    ).catch((error: unknown) =>
      logger.warn({ err: error, matchId: match.id }, "live match failed"),
    );
  }
}
