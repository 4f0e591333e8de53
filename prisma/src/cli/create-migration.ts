// `pnpm db:migration NAME`: writes a migration for the difference between the existing
// migrations and the schema files, then applies it to the database.
import { applyMigrations, createMigration, ensureDatabase } from "../migrate/index.ts";
import { databaseUrlFromEnv } from "./env.ts";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: pnpm db:migration <name> (lower-case letters, digits and underscores)");
  process.exit(1);
}
const url = databaseUrlFromEnv();
await ensureDatabase(url);
const folder = await createMigration(url, name);
if (folder === undefined) {
  console.log("The schema matches the migrations: nothing to create.");
} else {
  console.log(`Created prisma/migrations/${folder}/migration.sql`);
  await applyMigrations(url);
}
