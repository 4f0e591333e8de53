import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, PREPARED, type PrismaClient } from "./prisma.ts";

// One connection, so that every statement runs in the session whose prepared statements
// pg_prepared_statements lists.
let prisma: PrismaClient;

beforeAll(() => {
  prisma = createPrismaClient(inject("databaseUrl"), { maxConnections: 1 });
});

afterAll(async () => {
  await prisma.$disconnect();
});

/** The texts of the statements this session has prepared. */
async function preparedTexts(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ statement: string }[]>`
    SELECT statement FROM pg_prepared_statements`;
  return rows.map((row) => row.statement);
}

describe("prepared statements", () => {
  it("prepares a statement marked PREPARED once, and answers it like any other", async () => {
    const answers = [];
    for (const value of [1, 2, 3]) {
      answers.push(
        await prisma.$queryRaw<{ doubled: number }[]>`${PREPARED}
        SELECT ${value}::int * 2 AS doubled`,
      );
    }
    expect(answers).toEqual([[{ doubled: 2 }], [{ doubled: 4 }], [{ doubled: 6 }]]);
    const marked = (await preparedTexts()).filter((text) => text.includes("AS doubled"));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatch(/^\/\* prepared \*\//);
  });

  it("leaves unmarked statements unprepared", async () => {
    await prisma.$queryRaw`SELECT ${5}::int + 1 AS unmarked`;
    const texts = await preparedTexts();
    expect(texts.some((text) => text.includes("AS unmarked"))).toBe(false);
  });
});

describe("read-only pools", () => {
  it("refuse every write and answer reads", async () => {
    const readOnly = createPrismaClient(inject("databaseUrl"), {
      maxConnections: 1,
      readOnly: true,
    });
    try {
      await expect(readOnly.$executeRaw`CREATE TEMP TABLE scratch (x int)`).rejects.toThrow(
        /read-only transaction/,
      );
      expect(await readOnly.$queryRaw`SELECT 1::int AS one`).toEqual([{ one: 1 }]);
    } finally {
      await readOnly.$disconnect();
    }
  });
});
