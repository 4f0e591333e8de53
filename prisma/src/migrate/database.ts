import pg from "pg";

/**
 * Creates the database named in `connectionString` when it does not exist yet, connecting to the
 * server's `postgres` database to do so. Text compares in byte order (collation "C") whatever the
 * server's default locale: keyset pagination and prefix ranges over text keys rely on it.
 */
export async function ensureDatabase(connectionString: string): Promise<void> {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) {
      await admin.query(
        `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
    }
  } finally {
    await admin.end();
  }
}
