const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a person's (or a match's) id; anything else simply finds nothing. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** A pair of people in the order matches store them (`userLow < userHigh`). */
export function orderedPair(a: string, b: string): [low: string, high: string] {
  return a < b ? [a, b] : [b, a];
}
