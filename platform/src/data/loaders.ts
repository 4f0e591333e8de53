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

/** How to make each loader of a context, by name. */
export type LoaderFactories<Loaders> = { [Name in keyof Loaders]: () => Loaders[Name] };

/** The loaders `factories` make, by name. */
export type LoadersOf<Factories> = {
  [Name in keyof Factories]: Factories[Name] extends () => infer Loader ? Loader : never;
};

/**
 * A context's loaders, each made on first use. A subscription's context lives as long as the
 * subscription, and most of its events need few loaders if any: thousands of idle subscriptions
 * should not each hold every loader.
 */
export function lazyLoaders<Loaders extends object>(factories: LoaderFactories<Loaders>): Loaders {
  const loaders = {} as Loaders;
  for (const name of Object.keys(factories) as (keyof Loaders & string)[]) {
    Object.defineProperty(loaders, name, {
      enumerable: true,
      configurable: true,
      get() {
        const loader = factories[name]();
        Object.defineProperty(loaders, name, { value: loader, enumerable: true });
        return loader;
      },
    });
  }
  return loaders;
}

/** Empties the caches of the loaders `lazyLoaders` made so far, without making the others. */
export function clearMadeLoaders(loaders: object): void {
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(loaders))) {
    if ("value" in descriptor) (descriptor.value as DataLoader<unknown, unknown>).clearAll();
  }
}
