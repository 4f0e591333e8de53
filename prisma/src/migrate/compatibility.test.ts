import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { breakingStatements, CONTRACT_MARKER } from "./compatibility.ts";
import { migrationsDir } from "./files.ts";

/**
 * Written before ADR 0023, when old replicas were stopped before migrating (operations.md):
 * each makes its new columns NOT NULL right after backfilling them.
 */
const BEFORE_EXPAND_CONTRACT = new Set([
  "20261129005001_message_feed_positions",
  "20261129011654_match_places",
]);

describe("breakingStatements", () => {
  it("finds what the previous release's code may fail on", async () => {
    const found = await breakingStatements(`
      ALTER TABLE "chat"."message" ADD COLUMN "a" INT NOT NULL, DROP COLUMN "b",
        ALTER COLUMN "c" SET NOT NULL, ALTER COLUMN "d" TYPE TEXT;
      ALTER TABLE "chat"."message" RENAME COLUMN "e" TO "f";
      DROP TABLE "chat"."old";
      DROP TYPE "chat"."Kind";
      ALTER TABLE "chat"."message" ADD CONSTRAINT "g" CHECK ("a" > 0);
    `);
    expect(found.map((statement) => statement.reason)).toEqual([
      "adds required column a without a default",
      "drops column b",
      "makes column c required",
      "changes the type of column d",
      "renames a OBJECT_COLUMN",
      "drops a TABLE",
      "drops a TYPE",
      "adds a constraint rows written by older code may break",
    ]);
    expect(found[5]!.sql).toBe(`DROP TABLE "chat"."old"`);
  });

  it("lets expanding statements through", async () => {
    expect(
      await breakingStatements(`
        CREATE TABLE "chat"."new" ("id" UUID NOT NULL, "n" INT NOT NULL);
        ALTER TABLE "chat"."new" ADD CONSTRAINT "new_pkey" PRIMARY KEY ("id");
        ALTER TABLE "chat"."message" ADD COLUMN "a" INT, ADD COLUMN "b" INT NOT NULL DEFAULT 0;
        CREATE INDEX CONCURRENTLY "message_a_idx" ON "chat"."message" ("a");
        DROP INDEX "chat"."message_old_idx";
        ALTER TYPE "chat"."Kind" ADD VALUE 'NEW';
      `),
    ).toEqual([]);
  });
});

describe("every migration", () => {
  it("is expand/contract: breaking statements only in a migration marked `-- contract:`", async () => {
    const names = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !BEFORE_EXPAND_CONTRACT.has(entry.name))
      .map((entry) => entry.name);
    expect(names.length).toBeGreaterThan(0);
    const unmarked: Record<string, string[]> = {};
    for (const name of names) {
      const sql = await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8");
      if (CONTRACT_MARKER.test(sql)) continue;
      const breaking = await breakingStatements(sql);
      if (breaking.length > 0) unmarked[name] = breaking.map((b) => `${b.reason}: ${b.sql}`);
    }
    // A breaking statement belongs in a later release than the code that stopped needing it,
    // in a migration whose first line says so (docs/adr/0023-rolling-deploys-expand-contract.md).
    expect(unmarked).toEqual({});
  });

  it("still catches the pre-ADR migrations (the check is not blind)", async () => {
    for (const name of BEFORE_EXPAND_CONTRACT) {
      const sql = await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8");
      expect(await breakingStatements(sql), name).not.toEqual([]);
    }
  });
});
