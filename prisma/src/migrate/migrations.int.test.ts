import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { expect, inject, it } from "vitest";
import { migrationsDir, readMigrations } from "./files.ts";
import { applyMigrations, pendingMigrationSql } from "./index.ts";

it("the committed migrations produce exactly the Prisma schema", async () => {
  expect(await pendingMigrationSql(inject("databaseUrl")), "run pnpm db:migration <name>").toBe("");
});

it("records applied migrations as `prisma migrate deploy` does, and re-applies nothing", async () => {
  const databaseUrl = inject("databaseUrl");
  expect(await applyMigrations(databaseUrl)).toEqual([]);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      "SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    const { migrationDirectories } = await readMigrations();
    const expected = await Promise.all(
      migrationDirectories.map(async ({ path: folder }) => ({
        migration_name: folder,
        checksum: createHash("sha256")
          .update(await readFile(path.join(migrationsDir, folder, "migration.sql")))
          .digest("hex"),
      })),
    );
    expect(rows).toEqual(expected);
  } finally {
    await client.end();
  }
});

it("creates databases that compare text in byte order, whatever the server's locale", async () => {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    const { rows } = await client.query<{ datcollate: string }>(
      "SELECT datcollate FROM pg_database WHERE datname = current_database()",
    );
    expect(rows).toEqual([{ datcollate: "C" }]);
    // Under a linguistic collation '_' sorts after letters, breaking username prefix ranges.
    const order = await client.query<{ k: string }>(
      "SELECT k FROM (VALUES ('ab_c'), ('abc'), ('ab.c')) AS t(k) ORDER BY k",
    );
    expect(order.rows.map(({ k }) => k)).toEqual(["ab.c", "ab_c", "abc"]);
  } finally {
    await client.end();
  }
});
