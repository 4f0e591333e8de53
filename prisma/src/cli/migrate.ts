// `pnpm db:migrate`: creates the database if needed and applies pending migrations.
import { applyMigrations, ensureDatabase } from "../migrate/index.ts";
import { databaseUrlFromEnv } from "./env.ts";

const url = databaseUrlFromEnv();
await ensureDatabase(url);
const applied = await applyMigrations(url);
console.log(applied.length === 0 ? "Database is up to date." : `Applied: ${applied.join(", ")}`);
