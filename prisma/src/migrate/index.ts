import type { SchemaFilter } from "@prisma/schema-engine-wasm";
import { openSchemaEngine } from "./engine.ts";
import { readDatamodels, readMigrations, writeMigration } from "./files.ts";

export { ensureDatabase } from "./database.ts";

const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Applies every migration of `prisma/migrations` that the database has not run yet, recording
 * them in `_prisma_migrations` exactly as `prisma migrate deploy` does.
 *
 * @returns the names of the migrations applied by this call.
 */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const engine = await openSchemaEngine(connectionString, await readDatamodels());
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrations(),
      filters: noFilters,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that takes a database from the state of the existing migrations (replayed on a
 * temporary shadow database) to the current schema files; empty when they agree.
 */
export async function pendingMigrationSql(connectionString: string): Promise<string> {
  const datamodels = await readDatamodels();
  const migrations = await readMigrations();
  const engine = await openSchemaEngine(connectionString, datamodels);
  try {
    const { stdout } = await engine.diff({
      from:
        migrations.migrationDirectories.length === 0
          ? { tag: "empty" }
          : { tag: "migrations", ...migrations },
      to: {
        tag: "schemaDatamodel",
        files: datamodels.map(([path, content]) => ({ path, content })),
      },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = stdout ?? "";
    return isEmptyMigration(sql) ? "" : sql;
  } finally {
    engine.free();
  }
}

/**
 * Writes the pending SQL (see `pendingMigrationSql`) as a new migration.
 *
 * @returns the new migration's folder name, or `undefined` when the schema has not changed.
 */
export async function createMigration(
  connectionString: string,
  name: string,
): Promise<string | undefined> {
  const sql = await pendingMigrationSql(connectionString);
  return sql === "" ? undefined : writeMigration(name, sql);
}

function isEmptyMigration(sql: string): boolean {
  return sql.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("--"));
}
