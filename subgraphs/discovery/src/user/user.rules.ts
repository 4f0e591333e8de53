/** A pair of people in the order matches store them (`userLow < userHigh`). */
export function orderedPair(a: string, b: string): [low: string, high: string] {
  return a < b ? [a, b] : [b, a];
}
