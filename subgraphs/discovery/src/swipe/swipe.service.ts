import type { Match as MatchRow } from "@pulse/db";
import {
  badUserInput,
  conflict,
  notFound,
  paymentRequired,
  type Viewer,
} from "@pulse/platform/server";
import {
  isUuid,
  pageSize,
  toConnection,
  type Connection,
  type PrismaClient,
} from "@pulse/platform/subgraph";
import { tierOf } from "../candidate/tier.rules.ts";
import { viewMatch } from "../match/match.view.ts";
import type { MatchService } from "../match/match.service.ts";
import { orderedPair } from "../user/user.rules.ts";
import type { DailyLimits } from "./daily-limits.service.ts";
import { decodeLikeCursor, likeKey } from "./like.cursor.ts";
import { findLikesReceived, type LikeRow } from "./likes-received.query.ts";
import { readSwipeState } from "./swipe-state.query.ts";
import { isLike, type SwipeInput } from "./swipe.input.ts";
import type { LikeReceived, SwipeResult } from "./swipe.type.ts";

export interface SwipeServiceDeps {
  prisma: PrismaClient;
  matches: MatchService;
  limits: DailyLimits;
}

/** Swiping, which may make a match, and the premium list of who liked the viewer. */
export class SwipeService {
  constructor(private readonly deps: SwipeServiceDeps) {}

  /**
   * Records the viewer's swipe on a person. Repeating the same swipe answers the same result;
   * a like that meets the other person's like creates their one match, announced to both.
   *
   * @throws BAD_USER_INPUT on `input.targetUserId` for oneself; NOT_FOUND for an unknown, deleted
   *   or blocked person; CONFLICT on `input.action` when the person was swiped with another
   *   action; RATE_LIMITED when today's likes or super likes are spent.
   */
  async swipe(viewer: Viewer, input: SwipeInput): Promise<SwipeResult> {
    const { targetUserId: targetId, action } = input;
    if (targetId === viewer.id)
      throw badUserInput("input.targetUserId", "You cannot swipe yourself");
    if (!isUuid(targetId)) throw notFound("No such person");
    const { match, created } = await this.deps.prisma.$transaction(async (tx) => {
      // Both swipes of a pair take this lock, so two likes at the same instant run one after
      // the other and the second sees the first: exactly one match (the unique pair backs it up).
      const [low, high] = orderedPair(viewer.id, targetId);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${low}:${high}`}, 0))`;
      const state = await readSwipeState(tx, viewer.id, targetId);
      if (!state.targetExists || state.blocked) throw notFound("No such person");
      if (state.previous !== null) {
        if (state.previous !== action) {
          throw conflict("You already swiped this person with another action", "input.action");
        }
        return { match: await this.deps.matches.activeMatch(tx, low, high), created: false };
      }
      const allowance = await this.deps.limits.take(viewer.id, action, tierOf(state.tier));
      try {
        await tx.swipe.create({ data: { swiperId: viewer.id, targetId, action } });
        const match: MatchRow | null =
          isLike(action) && isLike(state.reverse)
            ? await this.deps.matches.create(tx, low, high)
            : null;
        return { match, created: match !== null };
      } catch (error) {
        await allowance.release();
        throw error;
      }
    });
    if (created && match) await this.deps.matches.announce(match);
    return { isMatch: match !== null, match: match && viewMatch(match, viewer.id) };
  }

  /**
   * People who liked the viewer and are still waiting for an answer, newest first.
   *
   * @throws PAYMENT_REQUIRED unless the viewer is a premium member.
   */
  async likesReceived(viewer: Viewer, first: number | null | undefined): Promise<LikeReceived[]> {
    const size = pageSize(first);
    await this.requirePremium(viewer);
    if (size === 0) return [];
    const rows = await findLikesReceived(this.deps.prisma, viewer.id, size);
    return rows.map(viewLike);
  }

  /**
   * {@link likesReceived} as a Relay connection, continuing after the cursor `after`.
   *
   * @throws PAYMENT_REQUIRED unless the viewer is a premium member.
   * @throws BAD_USER_INPUT on `after` when it is not a like cursor.
   */
  async likesReceivedPage(
    viewer: Viewer,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<LikeReceived>> {
    const size = pageSize(first);
    const position = after ? decodeLikeCursor(after) : undefined;
    await this.requirePremium(viewer);
    // One more than asked for, to tell whether another page follows.
    const rows =
      size === 0 ? [] : await findLikesReceived(this.deps.prisma, viewer.id, size + 1, position);
    return toConnection(rows.map(viewLike), size, (like) =>
      likeKey({ likedAt: like.likedAt, userId: like.user.id }),
    );
  }

  private async requirePremium(viewer: Viewer): Promise<void> {
    const candidate = await this.deps.prisma.candidate.findUnique({
      where: { userId: viewer.id },
      select: { tier: true },
    });
    if (tierOf(candidate?.tier) !== "PREMIUM") {
      throw paymentRequired("Seeing who liked you needs a premium membership");
    }
  }
}

const viewLike = ({ userId, likedAt, isSuperLike }: LikeRow): LikeReceived => ({
  user: { id: userId },
  likedAt,
  isSuperLike,
});
