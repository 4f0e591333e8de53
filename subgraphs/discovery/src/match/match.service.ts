import { randomUUID } from "node:crypto";
import type { Match as MatchRow, Prisma } from "@pulse/db";
import {
  isUuid,
  notFound,
  pageSize,
  rememberKeys,
  replayThenLive,
  toConnection,
  type Connection,
  type LivePubSub,
  type Logger,
  type Outbox,
  type PrismaClient,
  type PrismaTransaction,
  type Viewer,
} from "@pulse/platform";
import { orderedPair } from "../user/user-id.ts";
import { fromLive, matchCreatedTopic, toLive, type LiveMatch } from "./match-created.topic.ts";
import { beyond, decodeMatchCursor, isAfter, matchKey } from "./match-cursor.ts";
import { isParticipant, viewMatch } from "./match-view.ts";
import type { Match } from "./match.type.ts";

/** Matches a resumed `matchCreated` reads per statement of its replay. */
const REPLAY_PAGE_SIZE = 100;

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
      where: { ...current(viewer), ...(position && { AND: beyond(position, "lt") }) },
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
   * `matchCreated`: the viewer's new matches, live. Resumed after a match (the last one the
   * gateway received before its socket to discovery dropped), it first replays the viewer's
   * current matches made since, then goes on live, with no gap and no duplicate.
   *
   * @throws BAD_USER_INPUT for a resume position that is not a match cursor.
   */
  async feed(
    viewer: Viewer,
    resumeAfter: string | undefined,
  ): Promise<AsyncIterableIterator<LiveMatch>> {
    const { live, prisma, replayPageSize = REPLAY_PAGE_SIZE } = this.deps;
    const position = resumeAfter ? decodeMatchCursor(resumeAfter, "resumeAfter") : undefined;
    // Subscribed (Redis confirmed) before the replay is read: no gap between the two.
    const announced = await live.subscribe<LiveMatch>(matchCreatedTopic(viewer.id));
    if (!position) return announced;
    return replayThenLive({
      live: announced,
      replayPage: async (last) => {
        const rows = await prisma.match.findMany({
          where: { ...current(viewer), AND: beyond(last ? fromLive(last) : position, "gt") },
          orderBy: [{ matchedAt: "asc" }, { id: "asc" }],
          take: replayPageSize,
        });
        return rows.map((row) => toLive(viewMatch(row, viewer.id)));
      },
      pageSize: replayPageSize,
      memory: rememberKeys((match) => match.id),
      include: (match) => isAfter(position, fromLive(match)),
    });
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
   * Creates the match of a pair and records `match.created`, in the caller's transaction. The
   * unique (userLow, userHigh) pair makes a second attempt create nothing: then null.
   */
  async create(tx: PrismaTransaction, a: string, b: string): Promise<MatchRow | null> {
    const [userLow, userHigh] = orderedPair(a, b);
    const [match] = await tx.match.createManyAndReturn({
      data: [{ id: randomUUID(), userLow, userHigh }],
      skipDuplicates: true,
    });
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
        live.publish(matchCreatedTopic(userId), viewMatch(match, userId)),
      ),
    ).catch((error: unknown) =>
      logger.warn({ err: error, matchId: match.id }, "live match failed"),
    );
  }
}
