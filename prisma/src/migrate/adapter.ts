import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** Which columns of a result were `"char"`, keyed by the result's rows array. */
const charColumnsByRows = new WeakMap<unknown[], number[]>();

/**
 * A client for the schema engine's catalog queries. They select Postgres's internal `"char"`
 * columns (`contype`, `relkind`, ...), which the Prisma adapter refuses to map; this reports
 * them as `text` to the adapter and remembers them so `withCharColumns` can type them.
 */
class CatalogClient extends pg.Client {
  // @ts-expect-error -- one override for pg's overloads; pg-pool uses the callback form.
  override query(...args: unknown[]) {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      args[args.length - 1] = (error: Error | null, res: pg.QueryResult) =>
        callback(error, res && tagCharColumns(res));
    }
    const result: unknown = (super.query as (...a: unknown[]) => unknown)(...args);
    return result instanceof Promise ? result.then(tagCharColumns) : result;
  }
}

function tagCharColumns(res: pg.QueryResult): pg.QueryResult {
  const charColumns: number[] = [];
  (res.fields ?? []).forEach((field, index) => {
    if (field.dataTypeID !== PG_CHAR_OID) return;
    field.dataTypeID = PG_TEXT_OID;
    charColumns.push(index);
  });
  if (charColumns.length > 0) charColumnsByRows.set(res.rows, charColumns);
  return res;
}

/** Types the columns `CatalogClient` saw as `"char"` the way the schema engine reads them. */
function withCharColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsByRows.get(result.rows) ?? []) {
      result.columnTypes[index] = ColumnTypeEnum.Character;
    }
    return result;
  };
  return adapter;
}

function adapterFor(config: pg.ClientConfig): PrismaPg {
  return new PrismaPg(
    new pg.Pool({ ...config, max: 2, Client: CatalogClient as unknown as typeof pg.Client }),
    {
      disposeExternalPool: true,
    },
  );
}

/**
 * A migration-aware Postgres adapter factory for the schema engine.
 *
 * `PrismaPg`'s own shadow database support connects back to the main database (node-postgres
 * prefers the connection string over the overridden `database`) and drops the shadow database
 * while its pool still holds a connection. This one creates the shadow database, closes its pool
 * before dropping it, and drops it with FORCE so a failed diff leaves nothing behind.
 */
export function migrationAdapterFactory(
  connectionString: string,
): SqlMigrationAwareDriverAdapterFactory {
  const config = parseIntoClientConfig(connectionString);
  const main = adapterFor(config);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => withCharColumns(await main.connect()),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await runAdmin(config, `CREATE DATABASE ${pg.escapeIdentifier(database)}`);
      const adapter = withCharColumns(await adapterFor({ ...config, database }).connect());
      const disposePool = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await disposePool();
        await runAdmin(
          config,
          `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`,
        );
      };
      return adapter;
    },
  };
}

async function runAdmin(config: pg.ClientConfig, sql: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
