/**
 * The rating ladder's method: multi-competitor Elo, as if each participant had played every other
 * once, scored as an average against the field.
 *
 * - Actual score S: the share of the others one finished strictly ahead of, ties counting half:
 *   (lower + (tied − 1) / 2) / (n − 1).
 * - Expected score E: the average Elo expectation against each other participant,
 *   1 / (1 + 10^((R_other − R_self) / 400)).
 * - New rating: R + K × (S − E), K = 32, rounded and clamped to 100..5000.
 *
 * Σ S = Σ E, so a competition moves ratings between its participants and adds none (but for
 * rounding and the clamp). A competition of fewer than two participants changes nothing.
 * Expectations are summed over distinct ratings (ratings are integers), so a finish costs
 * O(n × distinct ratings), not O(n²).
 */
export const K_FACTOR = 32;
export const MIN_RATING = 100;
export const MAX_RATING = 5000;
export const DEFAULT_RATING = 1000;

export interface Finisher {
  userId: string;
  rating: number;
  scoreMilli: bigint;
}

export interface RatingChange {
  userId: string;
  before: number;
  after: number;
  /** In the final standings: 1 + those strictly ahead. */
  rank: number;
}

export function clampRating(rating: number): number {
  return Math.min(MAX_RATING, Math.max(MIN_RATING, Math.round(rating)));
}

export function ratingChanges(finishers: Finisher[]): RatingChange[] {
  const n = finishers.length;
  const sorted = [...finishers].sort((a, b) =>
    a.scoreMilli === b.scoreMilli ? 0 : a.scoreMilli > b.scoreMilli ? -1 : 1,
  );
  // Rank, and how many are strictly lower and tied, by score.
  const ranks = new Map<bigint, { rank: number; tied: number }>();
  sorted.forEach((finisher, index) => {
    const entry = ranks.get(finisher.scoreMilli);
    if (entry) entry.tied += 1;
    else ranks.set(finisher.scoreMilli, { rank: index + 1, tied: 1 });
  });
  const histogram = new Map<number, number>();
  for (const { rating } of finishers) histogram.set(rating, (histogram.get(rating) ?? 0) + 1);
  return finishers.map((finisher) => {
    const { rank, tied } = ranks.get(finisher.scoreMilli)!;
    if (n < 2)
      return { userId: finisher.userId, before: finisher.rating, after: finisher.rating, rank };
    const lower = n - (rank - 1) - tied;
    const actual = (lower + (tied - 1) / 2) / (n - 1);
    let expectedSum = -0.5; // Against oneself, which the sum below includes once.
    for (const [rating, count] of histogram) {
      expectedSum += count / (1 + 10 ** ((rating - finisher.rating) / 400));
    }
    const expected = expectedSum / (n - 1);
    const after = clampRating(finisher.rating + K_FACTOR * (actual - expected));
    return { userId: finisher.userId, before: finisher.rating, after, rank };
  });
}
