const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a key of ours: any other string names nothing (and Postgres would reject it). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
