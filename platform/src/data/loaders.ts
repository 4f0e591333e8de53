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

/** The loaders `factories` make, by name. */
export type LoadersOf<Factories> = {
  [Name in keyof Factories]: Factories[Name] extends (deps: never) => infer Loader ? Loader : never;
};

const DEPS = Symbol("deps");

/** What every factory of `Factories` is made from. */
type DepsOf<Factories extends Record<string, (deps: never) => object>> = Parameters<
  Factories[keyof Factories]
>[0];

/**
 * Defines a context's loaders, each made on first use from the context's `deps`: a subscription's
 * context lives as long as the subscription, and most of its events need few loaders if any, so
 * thousands of idle subscriptions should not each hold every loader. The getters live on one
 * prototype, so an instance holds only its deps and the loaders it made.
 *
 * @returns a function making one context's loaders.
 */
export function defineLoaders<Factories extends Record<string, (deps: never) => object>>(
  factories: Factories,
): (deps: DepsOf<Factories>) => LoadersOf<Factories> {
  class Loaders {
    readonly [DEPS]: DepsOf<Factories>;
    constructor(deps: DepsOf<Factories>) {
      this[DEPS] = deps;
    }
  }
  for (const [name, make] of Object.entries(factories)) {
    Object.defineProperty(Loaders.prototype, name, {
      get(this: Loaders) {
        const loader = (make as (deps: DepsOf<Factories>) => object)(this[DEPS]);
        Object.defineProperty(this, name, { value: loader, enumerable: true });
        return loader;
      },
    });
  }
  return (deps) => new Loaders(deps) as unknown as LoadersOf<Factories>;
}

/** Empties the caches of the loaders `defineLoaders`' instance made so far, making none. */
export function clearMadeLoaders(loaders: object): void {
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(loaders))) {
    if ("value" in descriptor) (descriptor.value as DataLoader<unknown, unknown>).clearAll();
  }
}
