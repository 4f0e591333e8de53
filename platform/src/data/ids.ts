const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `id` can be one of our keys (all UUIDs). Any other string names nothing, and asking
 * Postgres about it would be an error rather than an empty answer.
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
