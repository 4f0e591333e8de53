import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@pulse/db";
import pg from "pg";
import { tracePrismaQueries } from "../telemetry/prisma-tracing.ts";
import { boundedMemo } from "./memo.ts";

export type { PrismaClient } from "@pulse/db";

/** A transaction client: what `prisma.$transaction(async (tx) => ...)` hands its callback. */
export type PrismaTransaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * A unique constraint refused the write: Prisma's P2002 from a model query, or from raw SQL its
 * P2010 wrapping the driver adapter's UniqueConstraintViolation.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  const adapterError = error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined;
  return error.code === "P2010" && adapterError?.cause?.kind === "UniqueConstraintViolation";
}

/** Counts the SQL statements a pool runs, so tests can prove batching (no N+1). */
export class StatementCounter {
  count = 0;
  reset(): void {
    this.count = 0;
  }
}

export interface PrismaOptions {
  /** Connections in the pool. */
  maxConnections?: number;
  /** Incremented for every statement sent to Postgres. */
  statementCounter?: StatementCounter;
  /**
   * Every transaction read-only (`default_transaction_read_only`), so a write sent to a read
   * replica's pool fails wherever the URL points, not only on a hot standby.
   */
  readOnly?: boolean;
}

const PREPARED_MARK = "/* prepared */";

/**
 * Put first in a raw statement (`$queryRaw\`${PREPARED}SELECT ...\``) that every connection
 * should prepare once, then only execute. Postgres parses and plans an unprepared statement
 * anew on every run: profiles' card read plans in about twice the time it runs, and prepared it
 * answered 0.1–0.2 ms sooner. For statements on the path of every request whose parameters do
 * not change the best plan (lookups by key), since after five runs Postgres may keep a generic
 * plan. Each names one server-side statement per connection for the connection's life: keep
 * the marked texts few and fixed.
 */
export const PREPARED: Prisma.Sql = Prisma.raw(`${PREPARED_MARK} `);

/** A marked statement's name, after its text (Postgres allows 63 characters); hashed once. */
const nameOfMarked = boundedMemo(
  256,
  (sql: string) => `prepared_${createHash("sha1").update(sql).digest("hex")}`,
);

/** Names a marked statement; others stay unnamed. */
function preparedStatementName(query: { sql: string }): string | undefined {
  return query.sql.startsWith(PREPARED_MARK) ? nameOfMarked(query.sql) : undefined;
}

/**
 * A Prisma client on the pg driver adapter: the query engine runs in JS/WASM, so no native
 * binary is needed. Statements starting with {@link PREPARED} are prepared once per connection.
 * `close` ends the pool.
 */
export function createPrismaClient(url: string, options: PrismaOptions = {}): PrismaClient {
  tracePrismaQueries();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(options.readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  const counter = options.statementCounter;
  if (counter) {
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        counter.count += 1;
        return query(...args);
      };
    });
  }
  return new PrismaClient({
    adapter: new PrismaPg(pool, {
      disposeExternalPool: true,
      // The adapter passes the name to pg, which runs a statement without one unprepared; its
      // type wants a name for every statement.
      statementNameGenerator: preparedStatementName as (query: { sql: string }) => string,
    }),
  });
}
