import DataLoader from "dataloader";

/**
 * A request-scoped loader of rows by key that issues one query per batch and answers each key
 * with its row or `null`, in the order asked.
 *
 * @param fetch loads every row whose key is in `keys`, in any order.
 * @param keyOf the key of a loaded row.
 */
export function createKeyedLoader<Key, Row>(
  fetch: (keys: readonly Key[]) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
): DataLoader<Key, Row | null> {
  return new DataLoader<Key, Row | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}
