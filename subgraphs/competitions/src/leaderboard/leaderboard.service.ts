import { pageSize, type Connection } from "@pulse/platform/subgraph";
import type { LeaderboardIndex } from "./leaderboard-index.ts";
import { decodeLeaderboardCursor, leaderboardCursor } from "./leaderboard.cursor.ts";
import type { LeaderboardEntrySource, StandingSource } from "./leaderboard.type.ts";

/** Reads of the leaderboards, from their Redis index (rebuilt from Postgres when lost). */
export class LeaderboardService {
  constructor(private readonly index: LeaderboardIndex) {}

  /** A page of a competition's leaderboard: score descending, then user id descending. */
  async page(
    competitionId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<LeaderboardEntrySource>> {
    const size = pageSize(first);
    const cursor = after ? decodeLeaderboardCursor(after) : null;
    const entries = await this.index.page(competitionId, cursor, size + 1);
    const edges = entries.slice(0, size).map((node) => ({ cursor: leaderboardCursor(node), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: entries.length > size,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  /** Where `userId` stands in a competition; null for a non-participant. */
  async standing(competitionId: string, userId: string): Promise<StandingSource | null> {
    const { standing } = await this.index.standing(competitionId, userId);
    return standing && { competitionId, ...standing };
  }
}
