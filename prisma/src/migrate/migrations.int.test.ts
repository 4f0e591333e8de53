import { createHash, randomUUID } from "node:crypto";
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

/**
 * Runs `check` on a database of its own migrated up to (not including) the migration whose
 * folder ends with `_${name}`, with a function that applies that one; then drops it.
 */
async function beforeMigration(
  name: string,
  check: (client: pg.Client, apply: () => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const databaseUrl = inject("databaseUrl");
  const database = `${new URL(databaseUrl).pathname.slice(1)}_before_${name}`;
  const url = withDatabase(databaseUrl, database);
  await ensureDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { migrationDirectories } = await readMigrations();
    const sqlOf = (at: number) => {
      const { content } = migrationDirectories[at]!.migrationFile;
      if (content.tag !== "ok") throw new Error(content.value);
      return content.value;
    };
    const index = migrationDirectories.findIndex(({ path }) => path.endsWith(`_${name}`));
    expect(index).toBeGreaterThan(0);
    for (let at = 0; at < index; at += 1) await client.query(sqlOf(at));
    await check(client, () => client.query(sqlOf(index)));
  } finally {
    await client.end();
    await dropDatabase(databaseUrl, database);
  }
}

/** The last place each person's counter in `table` handed out, by user id. */
async function lastPlaces(client: pg.Client, table: string): Promise<Record<string, number>> {
  const { rows } = await client.query<{ user_id: string; last: number }>(
    `SELECT user_id, last_position::int AS last FROM ${table}`,
  );
  return Object.fromEntries(rows.map((row) => [row.user_id, row.last]));
}

/** Ann, Bea and Cy, ids in that order (so Ann is the lower of her pairs). */
const ann = "00000001-0000-4000-8000-000000000000";
const bea = "00000002-0000-4000-8000-000000000000";
const cy = "00000003-0000-4000-8000-000000000000";
/** Two more ids in order, for Ann's two pairs: they break ties of the same millisecond. */
const withBea = "a0000000-0000-4000-8000-000000000000";
const withCy = "b0000000-0000-4000-8000-000000000000";

it("places the messages stored before feed positions existed in both people's feeds", async () => {
  await beforeMigration("message_feed_positions", async (client, apply) => {
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
    await apply();
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
    expect(await lastPlaces(client, "chat.feed_counter")).toEqual({ [ann]: 4, [bea]: 2, [cy]: 2 });
  });
});

it("places the matches made before match places existed among both people's matches", async () => {
  await beforeMigration("match_places", async (client, apply) => {
    // Made in the same millisecond: their ids decide.
    await client.query(
      `INSERT INTO discovery.match (id, user_low, user_high, matched_at)
       VALUES ($2, $3, $5, '2026-11-01T10:00:00Z'), ($1, $3, $4, '2026-11-01T10:00:00Z'),
              ($6, $4, $5, '2026-11-01T09:00:00Z')`,
      [withBea, withCy, ann, bea, cy, randomUUID()],
    );
    await apply();
    const { rows } = await client.query(
      `SELECT user_low AS low, user_high AS high, low_position::int AS "lowPlace",
              high_position::int AS "highPlace"
       FROM discovery.match ORDER BY matched_at, id`,
    );
    expect(rows).toEqual([
      { low: bea, high: cy, lowPlace: 1, highPlace: 1 },
      { low: ann, high: bea, lowPlace: 1, highPlace: 2 },
      { low: ann, high: cy, lowPlace: 2, highPlace: 2 },
    ]);
    expect(await lastPlaces(client, "discovery.match_counter")).toEqual({
      [ann]: 2,
      [bea]: 2,
      [cy]: 2,
    });
  });
});
