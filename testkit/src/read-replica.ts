import { setTimeout as delay } from "node:timers/promises";
import { createPrismaClient, type PrismaClient } from "@pulse/platform/subgraph";

/**
 * How long to wait for the replica, as long as `eventually` waits. Its own loop rather than
 * `eventually` (vitest's `vi`), for the global setup waits too, outside any test.
 */
const REPLICA_WAIT_MS = 15_000;
const REPLICA_CHECK_INTERVAL_MS = 10;

/** Any number, the same in every test process: the key of the lock that takes turns pausing. */
const PAUSE_LOCK_KEY = 250_025;

/** Runs `check` until it answers true; fails naming `what` after {@link REPLICA_WAIT_MS}. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + REPLICA_WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(REPLICA_CHECK_INTERVAL_MS);
  }
}

/** Waits until `replica` has replayed everything `primary` had written when called. */
export async function untilReplayed(primary: PrismaClient, replica: PrismaClient): Promise<void> {
  const [{ lsn }] = await primary.$queryRaw<[{ lsn: string }]>`
    SELECT pg_current_wal_lsn()::text AS lsn`;
  await until(async () => {
    const [{ replayed }] = await replica.$queryRaw<[{ replayed: boolean }]>`
      SELECT pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn AS replayed`;
    return replayed;
  }, `the replica replayed up to ${lsn}`);
}

/**
 * Runs `test` while the replica at `replicaUrl` replays nothing, so what the primary at
 * `primaryUrl` commits meanwhile is not on the replica; then resumes replay and waits until the
 * replica caught up. Test files (in every process of the run) take turns through an advisory lock
 * on the primary: one file's resume must not end another's pause.
 */
export async function withReplayPaused<Result>(
  primaryUrl: string,
  replicaUrl: string,
  test: () => Promise<Result>,
): Promise<Result> {
  // One connection: the session that holds the lock.
  const turn = createPrismaClient(primaryUrl, { maxConnections: 1 });
  const replica = createPrismaClient(replicaUrl, { maxConnections: 1 });
  try {
    await turn.$queryRaw`SELECT pg_advisory_lock(${PAUSE_LOCK_KEY})::text`;
    await replica.$queryRaw`SELECT pg_wal_replay_pause()::text`;
    try {
      await until(async () => {
        const [{ state }] = await replica.$queryRaw<[{ state: string }]>`
          SELECT pg_get_wal_replay_pause_state() AS state`;
        return state === "paused";
      }, "the replica's replay paused");
      return await test();
    } finally {
      await replica.$queryRaw`SELECT pg_wal_replay_resume()::text`;
      await untilReplayed(turn, replica);
      await turn.$queryRaw`SELECT pg_advisory_unlock(${PAUSE_LOCK_KEY})`;
    }
  } finally {
    await Promise.all([turn.$disconnect(), replica.$disconnect()]);
  }
}
