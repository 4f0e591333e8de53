import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { expect, inject, it } from "vitest";
import { migrationsDir, readMigrations } from "./files.ts";
import { dropDatabase, withDatabase } from "../../../scripts/lib/local-postgres.ts";
import { applyMigrations, ensureDatabase, pendingMigrationSql } from "./index.ts";

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

it("places the messages stored before feed positions existed in both people's feeds", async () => {
  const databaseUrl = inject("databaseUrl");
  const name = `${new URL(databaseUrl).pathname.slice(1)}_feed_backfill`;
  const url = withDatabase(databaseUrl, name);
  await ensureDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { migrationDirectories } = await readMigrations();
    const index = migrationDirectories.findIndex(({ path: folder }) =>
      folder.endsWith("_message_feed_positions"),
    );
    const sqlOf = (at: number) => {
      const { content } = migrationDirectories[at]!.migrationFile;
      if (content.tag !== "ok") throw new Error(content.value);
      return content.value;
    };
    for (let at = 0; at < index; at += 1) await client.query(sqlOf(at));
    // Ann talks with Bea and with Cy; ids ordered so that Ann is the lower of both pairs, and
    // the two conversations' ids break the tie of two messages sent in the same millisecond.
    const [ann, bea, cy] = ["1", "2", "3"].map(
      (digit) => `0000000${digit}-0000-4000-8000-000000000000`,
    );
    const [withBea, withCy] = ["a", "b"].map(
      (digit) => `${digit}0000000-0000-4000-8000-000000000000`,
    );
    await client.query(
      `INSERT INTO chat.conversation (id, match_id, user_low, user_high, last_seq)
       VALUES ($1, gen_random_uuid(), $3, $4, 2), ($2, gen_random_uuid(), $3, $5, 2)`,
      [withBea, withCy, ann, bea, cy],
    );
    await client.query(
      `INSERT INTO chat.message (id, conversation_id, seq, sender_id, client_message_id, body, sent_at)
       VALUES (gen_random_uuid(), $1, 1, $3, 'm1', 'Ann to Bea', '2026-11-01T10:00:00Z'),
              (gen_random_uuid(), $2, 1, $5, 'm2', 'Cy to Ann', '2026-11-01T10:00:01Z'),
              (gen_random_uuid(), $2, 2, $3, 'm3', 'Ann to Cy', '2026-11-01T10:00:02Z'),
              (gen_random_uuid(), $1, 2, $4, 'm4', 'Bea to Ann', '2026-11-01T10:00:02Z')`,
      [withBea, withCy, ann, bea, cy],
    );
    await client.query(sqlOf(index));
    const { rows } = await client.query(
      `SELECT body, sender_position::int AS "from", recipient_id AS "recipient",
              recipient_position::int AS "to"
       FROM chat.message ORDER BY client_message_id`,
    );
    expect(rows).toEqual([
      { body: "Ann to Bea", from: 1, recipient: bea, to: 1 },
      { body: "Cy to Ann", from: 1, recipient: ann, to: 2 },
      { body: "Ann to Cy", from: 4, recipient: cy, to: 2 },
      { body: "Bea to Ann", from: 2, recipient: ann, to: 3 },
    ]);
    const counters = await client.query(
      "SELECT user_id, last_position::int AS last FROM chat.feed_counter ORDER BY user_id",
    );
    expect(counters.rows).toEqual([
      { user_id: ann, last: 4 },
      { user_id: bea, last: 2 },
      { user_id: cy, last: 2 },
    ]);
  } finally {
    await client.end();
    await dropDatabase(databaseUrl, name);
  }
});
