/**
 * The live topic on which a competition's board announces every change, numbered. The board's
 * scripts publish on it, so it carries the board keys' hash tag (`{id}`): on a cluster a script
 * publishes only in its keys' slot.
 */
export function rankChangedTopic(competitionId: string): string {
  return `rank-changed:{${competitionId}}`;
}

/**
 * What the board announces, published by Redis itself in the same atomic step as the change
 * (leaderboard-index.ts), so `seq` follows the order the board changed in, without gaps.
 */
export type BoardChange =
  | {
      kind: "move";
      /** Decimal: past 2^31, and JSON numbers from Lua keep only 14 digits. */
      seq: string;
      userId: string;
      /** Thousandths; false when the person was not on the board before (joined). */
      oldScore: number | false;
      /** Thousandths; false when the person left the board. */
      newScore: number | false;
      /** 0 when not on the board. */
      oldRank: number;
      newRank: number;
      /** 0-based place in (score desc, id desc) order; -1 when not on the board. */
      oldPos: number;
      newPos: number;
    }
  /** The board was rebuilt from Postgres (Redis lost it): subscribers read it afresh. */
  | { kind: "reset"; seq: string };
