import { randomUUID } from "node:crypto";
import { redisKeys, type Logger, type Redis } from "@pulse/platform/server";
import { Prisma } from "@pulse/db";
import type { PrismaClient } from "@pulse/platform/subgraph";
import { rankChangedTopic, type BoardChange } from "./rank-changed.topic.ts";

/**
 * Applies one participant's write if it is newer than the last one applied (by version), and
 * announces the move on the board's live channel, in the same atomic step, numbered. The move
 * also goes to the board's log of recent moves (a stream whose ids are the numbers, each with
 * Redis's clock in milliseconds), from which the board as it was at an earlier number or
 * instant can be told (`TOP_AT`, `SEQ_AT`, `STANDING_AT`).
 *
 * KEYS: board (sorted set: member user id, score thousandths), versions (hash), ready, seq,
 * moves (stream). ARGV: user id, version, score ('' removes), channel, moves kept.
 * Returns {applied (1, 0 for a stale write), rank after (0 when not on the board), seq (0: none),
 * ready (1 when the board is whole, so the rank is right)}.
 */
export const APPLY_SCRIPT = `
local cur = redis.call('HGET', KEYS[2], ARGV[1])
if cur and tonumber(cur) >= tonumber(ARGV[2]) then return {0, 0, 0, 0} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
local oldRank = 0
local oldPos = -1
if old then
  oldRank = redis.call('ZCOUNT', KEYS[1], '(' .. old, '+inf') + 1
  oldPos = redis.call('ZREVRANK', KEYS[1], ARGV[1])
end
local newRank = 0
local newPos = -1
if ARGV[3] == '' then
  if not old then return {1, 0, 0, 1} end
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  if old and tonumber(old) == tonumber(ARGV[3]) then return {1, oldRank, 0, redis.call('EXISTS', KEYS[3])} end
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  newRank = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[3], '+inf') + 1
  newPos = redis.call('ZREVRANK', KEYS[1], ARGV[1])
end
local seq = 0
local ready = redis.call('EXISTS', KEYS[3])
if ready == 1 then
  seq = redis.call('INCR', KEYS[4])
  local now = redis.call('TIME')
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[5], string.format('%d-1', seq),
    'u', ARGV[1], 'o', old or '', 't', now[1] .. string.format('%03d', math.floor(now[2] / 1000)))
  redis.call('PUBLISH', ARGV[4], cjson.encode({
    kind = 'move', seq = string.format('%d', seq), userId = ARGV[1],
    oldScore = old and tonumber(old) or false, newScore = ARGV[3] ~= '' and tonumber(ARGV[3]) or false,
    oldRank = oldRank, newRank = newRank, oldPos = oldPos, newPos = newPos
  }))
end
return {1, newRank, seq, ready}
`;

/**
 * Writes a rebuild's chunk: each participant as Postgres had it, unless a newer write of theirs
 * was applied meanwhile. KEYS: board, versions. ARGV: user id, version, score, repeated.
 */
const LOAD = `
for i = 1, #ARGV, 3 do
  local cur = redis.call('HGET', KEYS[2], ARGV[i])
  if not cur or tonumber(cur) < tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
    redis.call('ZADD', KEYS[1], ARGV[i + 2], ARGV[i])
  end
end
return 1
`;

/**
 * Marks a rebuilt board ready and tells its subscribers to start over. Its numbering restarts
 * from the clock in microseconds, past any number the lost board handed out (fewer than a
 * million changes a second), so subscribers never mistake new changes for old ones.
 * KEYS: ready, seq. ARGV: channel.
 */
const READY = `
redis.call('SET', KEYS[1], '1')
local now = redis.call('TIME')
local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
local seq = math.max(tonumber(redis.call('GET', KEYS[2]) or '0') + 1, floor)
redis.call('SET', KEYS[2], string.format('%d', seq))
redis.call('PUBLISH', ARGV[1], cjson.encode({ kind = 'reset', seq = string.format('%d', seq) }))
return seq
`;

/**
 * A page of the board in (score desc, user id desc) order after a cursor, with the rank of its
 * first entry. False when the board is not ready (lost, being rebuilt).
 *
 * KEYS: board, ready. ARGV: cursor score ('' for the first page), cursor user id, count.
 * Returns {rank of the first entry, its position (0-based), user id, score, user id, score, ...}.
 */
const PAGE = `
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
local start = 0
if ARGV[1] ~= '' then
  local s = redis.call('ZSCORE', KEYS[1], ARGV[2])
  if s and tonumber(s) == tonumber(ARGV[1]) then
    start = redis.call('ZREVRANK', KEYS[1], ARGV[2]) + 1
  else
    -- The cursor's entry moved or left: find where (score, id) would stand. Ties sit in
    -- descending id order between lo and hi; binary search them.
    local lo = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
    local hi = redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf')
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      local member = redis.call('ZREVRANGE', KEYS[1], mid, mid)[1]
      if member > ARGV[2] then lo = mid + 1 else hi = mid end
    end
    start = lo
  end
end
local entries = redis.call('ZREVRANGE', KEYS[1], start, start + tonumber(ARGV[3]) - 1, 'WITHSCORES')
local rank = 0
if #entries > 0 then rank = redis.call('ZCOUNT', KEYS[1], '(' .. entries[2], '+inf') + 1 end
local out = {rank, start}
for i = 1, #entries do out[#out + 1] = entries[i] end
return out
`;

/**
 * A person's standing: {rank, score} or {} for a non-participant; false when not ready.
 * KEYS: board, ready, seq. ARGV: user id. Also returns the board's seq.
 */
const STANDING = `
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not s then return {seq} end
return {seq, redis.call('ZCOUNT', KEYS[1], '(' .. s, '+inf') + 1, s}
`;

/**
 * The top `count` entries with the rank of each, and the board's seq; false when not ready.
 * KEYS: board, ready, seq. ARGV: count.
 */
const TOP = `
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local entries = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local out = {seq}
for i = 1, #entries do out[#out + 1] = entries[i] end
return out
`;

/**
 * The top `count` entries as they were at board number `at`, from the top now and the moves
 * since (each mover's score before its first move since then); false when not ready.
 *
 * KEYS: board, ready, seq, moves. ARGV: count, at, most moves to undo.
 * Returns {seq now, {user id, score, ...} of the top count + moves now, {user id, score before
 * ('' when not on the board), ...} of the moves since `at`}, or {seq now} alone when the log no
 * longer reaches back to `at` (trimmed, or the board was rebuilt).
 */
const TOP_AT = `
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local at = tonumber(ARGV[2])
local since = seq - at
if since < 0 or since > tonumber(ARGV[3]) then return {seq} end
local moves = {}
if since > 0 then
  local log = redis.call('XRANGE', KEYS[4], string.format('%d-1', at + 1), '+')
  if #log ~= since then return {seq} end
  for i = 1, #log do
    local fields = log[i][2]
    moves[#moves + 1] = fields[2]
    moves[#moves + 1] = fields[4]
  end
end
local entries = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) + since - 1, 'WITHSCORES')
return {seq, entries, moves}
`;

/**
 * The board's number at an instant: that of the last move made before it. Reads the log
 * backwards, at most `ARGV[2]` moves; false when not ready.
 *
 * KEYS: ready, seq, moves. ARGV: instant (ms of Redis's clock), most moves read.
 * Returns {1, number} or {0} when the log does not reach back to the instant.
 */
const SEQ_AT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local seq = tonumber(redis.call('GET', KEYS[2]) or '0')
if seq == 0 then return {1, 0} end
local since = tonumber(ARGV[1])
local left = tonumber(ARGV[2])
local upper = '+'
while left > 0 do
  local batch = redis.call('XREVRANGE', KEYS[3], upper, '-', 'COUNT', math.min(left, 500))
  if #batch == 0 then return {0} end
  for i = 1, #batch do
    local fields = batch[i][2]
    if tonumber(fields[6]) < since then
      local id = batch[i][1]
      return {1, tonumber(string.sub(id, 1, string.find(id, '-') - 1))}
    end
    -- The log goes back no further than a number it has: nothing before it was kept.
    if tonumber(string.sub(batch[i][1], 1, string.find(batch[i][1], '-') - 1)) == 1 then
      return {1, 0}
    end
  end
  upper = '(' .. batch[#batch][1]
  left = left - #batch
end
return {0}
`;

/**
 * A person's rank at board number `at`, from their standing now and the moves since: each
 * mover's score then is the one before their first move since. False when not ready.
 *
 * KEYS: board, ready, seq, moves. ARGV: user id, at, most moves to undo.
 * Returns {1, rank then (0: not on the board)} or {0} when the log does not reach back.
 */
const STANDING_AT = `
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local since = seq - tonumber(ARGV[2])
if since < 0 or since > tonumber(ARGV[3]) then return {0} end
local before = {}
local movers = {}
if since > 0 then
  local log = redis.call('XRANGE', KEYS[4], string.format('%d-1', tonumber(ARGV[2]) + 1), '+')
  if #log ~= since then return {0} end
  for i = 1, #log do
    local fields = log[i][2]
    if before[fields[2]] == nil then
      before[fields[2]] = fields[4]
      movers[#movers + 1] = fields[2]
    end
  end
end
local mine = before[ARGV[1]]
if mine == nil then mine = redis.call('ZSCORE', KEYS[1], ARGV[1]) or '' end
if mine == '' then return {1, 0} end
local score = tonumber(mine)
local higher = redis.call('ZCOUNT', KEYS[1], '(' .. mine, '+inf')
for i = 1, #movers do
  local user = movers[i]
  if user ~= ARGV[1] then
    local now = redis.call('ZSCORE', KEYS[1], user)
    if now and tonumber(now) > score then higher = higher - 1 end
    if before[user] ~= '' and tonumber(before[user]) > score then higher = higher + 1 end
  end
end
return {1, higher + 1}
`;

interface LeaderboardCommands {
  competitionsApply(...args: string[]): Promise<[number, number, number, number]>;
  competitionsLoad(...args: string[]): Promise<number>;
  competitionsReady(...args: string[]): Promise<number>;
  competitionsPage(...args: string[]): Promise<(number | string)[] | null>;
  competitionsStanding(...args: string[]): Promise<(number | string)[] | null>;
  competitionsTop(...args: string[]): Promise<(number | string)[] | null>;
  competitionsTopAt(...args: string[]): Promise<[number] | [number, string[], string[]] | null>;
  competitionsSeqAt(...args: string[]): Promise<[0] | [1, number] | null>;
  competitionsStandingAt(...args: string[]): Promise<[0] | [1, number] | null>;
}

/** One participant's write, as committed to Postgres. */
export interface ScoreWrite {
  userId: string;
  version: bigint;
  /** Thousandths; null when the person left the board. */
  scoreMilli: bigint | null;
}

export interface BoardEntry {
  userId: string;
  rank: number;
  scoreMilli: bigint;
}

export interface Standing {
  rank: number;
  scoreMilli: bigint;
}

/** Participants a rebuild reads from Postgres and writes to Redis per statement. */
const REBUILD_CHUNK = 5_000;
/** How long a reader waits for another replica's rebuild before doing one itself. */
const REBUILD_WAIT_MS = 30_000;
/** How long a rebuild's lock holds if its replica dies mid-way. */
const REBUILD_LOCK_MS = 60_000;
const REBUILD_POLL_MS = 25;
/**
 * Moves each board's log keeps (about: trimmed in whole blocks), so that a top as it was up to
 * this many moves ago can be rebuilt: minutes of a busy board, far longer than a reconnection.
 */
export const MOVES_KEPT = 20_000;
/** The most moves a rebuild of an earlier top undoes: it reads the top plus as many entries. */
const MOST_MOVES_UNDONE = 5_000;

export interface LeaderboardIndexDeps {
  prisma: PrismaClient;
  redis: Redis;
  redisPrefix: string;
  logger: Logger;
  /** The prefixed live channel of a topic (LivePubSub.channel). */
  channel: (topic: string) => string;
}

/**
 * The Redis index of every competition's leaderboard. Postgres holds the truth (each
 * participant's score and version); Redis holds a sorted set per competition, written after each
 * commit. Writes carry the participant's version, so late or repeated writes never overwrite
 * newer ones. A board that lost its data (flush, restart, failover) has no `ready` key: readers
 * then rebuild it from Postgres before answering, so nobody reads a partial board.
 */
export class LeaderboardIndex {
  private readonly commands: LeaderboardCommands;
  private readonly rebuilding = new Map<string, Promise<void>>();
  private readonly key: (...parts: string[]) => string;

  constructor(private readonly deps: LeaderboardIndexDeps) {
    const { redis } = deps;
    const define = (name: string, numberOfKeys: number, lua: string) => {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
    };
    define("competitionsApply", 5, APPLY_SCRIPT);
    define("competitionsLoad", 2, LOAD);
    define("competitionsReady", 2, READY);
    define("competitionsPage", 2, PAGE);
    define("competitionsStanding", 3, STANDING);
    define("competitionsTop", 3, TOP);
    define("competitionsTopAt", 4, TOP_AT);
    define("competitionsSeqAt", 3, SEQ_AT);
    define("competitionsStandingAt", 4, STANDING_AT);
    this.commands = redis as unknown as LeaderboardCommands;
    this.key = redisKeys(deps.redisPrefix);
  }

  /** The keys of one competition's board (one hash slot: `{id}`). */
  keys(competitionId: string) {
    const base = this.key("competitions", "board", `{${competitionId}}`);
    return {
      board: base,
      versions: `${base}:versions`,
      ready: `${base}:ready`,
      seq: `${base}:seq`,
      moves: `${base}:moves`,
      lock: `${base}:rebuild`,
    };
  }

  channel(competitionId: string): string {
    return this.deps.channel(rankChangedTopic(competitionId));
  }

  /**
   * Applies committed writes of one competition, in order; returns each writer's rank after it
   * (0 when off the board), or null when it cannot tell: a write older than one already applied,
   * or a board not whole (being rebuilt), whose ranks would be wrong.
   */
  async apply(competitionId: string, writes: ScoreWrite[]): Promise<(number | null)[]> {
    const { board, versions, ready, seq, moves } = this.keys(competitionId);
    const channel = this.channel(competitionId);
    const ranks: (number | null)[] = [];
    for (const write of writes) {
      const [applied, rank, , whole] = await this.commands.competitionsApply(
        board,
        versions,
        ready,
        seq,
        moves,
        write.userId,
        write.version.toString(),
        write.scoreMilli === null ? "" : write.scoreMilli.toString(),
        channel,
        String(MOVES_KEPT),
      );
      ranks.push(applied && whole ? rank : null);
    }
    return ranks;
  }

  /** Applies committed writes, logging rather than failing: Postgres has them either way. */
  async applyQuietly(competitionId: string, writes: ScoreWrite[]): Promise<void> {
    try {
      await this.apply(competitionId, writes);
    } catch (error) {
      this.deps.logger.warn({ err: error, competitionId }, "leaderboard index write failed");
    }
  }

  /** A page of the board after `after` (score, user id), `count` entries. */
  async page(
    competitionId: string,
    after: { scoreMilli: bigint; userId: string } | null,
    count: number,
  ): Promise<BoardEntry[]> {
    const { board, ready } = this.keys(competitionId);
    const reply = await this.whenReady(competitionId, () =>
      this.commands.competitionsPage(
        board,
        ready,
        after ? after.scoreMilli.toString() : "",
        after?.userId ?? "",
        String(count),
      ),
    );
    return rankedEntries(Number(reply[0]), Number(reply[1]), reply.slice(2));
  }

  /** Where `userId` stands (null for a non-participant), and the board's seq then. */
  async standing(
    competitionId: string,
    userId: string,
  ): Promise<{ standing: Standing | null; seq: number }> {
    const { board, ready, seq } = this.keys(competitionId);
    const reply = await this.whenReady(competitionId, () =>
      this.commands.competitionsStanding(board, ready, seq, userId),
    );
    const standing =
      reply.length > 1 ? { rank: Number(reply[1]), scoreMilli: BigInt(reply[2]!) } : null;
    return { standing, seq: Number(reply[0]) };
  }

  /** The first `count` entries with their ranks, and the board's seq then. */
  async top(competitionId: string, count: number): Promise<{ entries: BoardEntry[]; seq: number }> {
    const { board, ready, seq } = this.keys(competitionId);
    const reply = await this.whenReady(competitionId, () =>
      this.commands.competitionsTop(board, ready, seq, String(count)),
    );
    const pairs = reply.slice(1);
    return { entries: rankedEntries(1, 0, pairs), seq: Number(reply[0]) };
  }

  /**
   * The first `count` entries as they were at board number `at`, or null when that can no longer
   * be told (more than a few thousand moves ago, or before the board was rebuilt).
   */
  async topAt(competitionId: string, count: number, at: number): Promise<BoardEntry[] | null> {
    const { board, ready, seq, moves } = this.keys(competitionId);
    const reply = await this.whenReady(competitionId, () =>
      this.commands.competitionsTopAt(
        board,
        ready,
        seq,
        moves,
        String(count),
        String(at),
        String(MOST_MOVES_UNDONE),
      ),
    );
    if (reply.length === 1) return null;
    const [, now, since] = reply;
    // Each mover's score at `at` is the one before its first move since.
    const before = new Map<string, string>();
    for (let i = 0; i < since.length; i += 2) {
      if (!before.has(since[i]!)) before.set(since[i]!, since[i + 1]!);
    }
    const then: { userId: string; score: bigint }[] = [];
    for (let i = 0; i < now.length; i += 2) {
      if (!before.has(now[i]!)) then.push({ userId: now[i]!, score: BigInt(now[i + 1]!) });
    }
    for (const [userId, score] of before) {
      if (score !== "") then.push({ userId, score: BigInt(score) });
    }
    // The board's order: score, then user id, both descending.
    then.sort((a, b) =>
      a.score === b.score ? (a.userId < b.userId ? 1 : -1) : a.score < b.score ? 1 : -1,
    );
    const pairs = then.slice(0, count).flatMap((entry) => [entry.userId, entry.score.toString()]);
    return rankedEntries(1, 0, pairs);
  }

  /**
   * The board's number at `instant` (of Redis's clock), or null when its log no longer reaches
   * that far back.
   */
  async seqAt(competitionId: string, instant: Date): Promise<number | null> {
    const { ready, seq, moves } = this.keys(competitionId);
    const reply = await this.whenReady(competitionId, () =>
      this.commands.competitionsSeqAt(
        ready,
        seq,
        moves,
        String(instant.getTime()),
        String(MOST_MOVES_UNDONE),
      ),
    );
    return reply[0] === 1 ? reply[1] : null;
  }

  /**
   * `userId`'s rank at board number `at` (null: not on the board then), or undefined when the
   * log no longer reaches that far back.
   */
  async rankAt(
    competitionId: string,
    userId: string,
    at: number,
  ): Promise<number | null | undefined> {
    const { board, ready, seq, moves } = this.keys(competitionId);
    const reply = await this.whenReady(competitionId, () =>
      this.commands.competitionsStandingAt(
        board,
        ready,
        seq,
        moves,
        userId,
        String(at),
        String(MOST_MOVES_UNDONE),
      ),
    );
    if (reply[0] === 0) return undefined;
    return reply[1] === 0 ? null : reply[1];
  }

  /** Runs a read; when the board is not ready, rebuilds it from Postgres and reads again. */
  private async whenReady<T>(competitionId: string, read: () => Promise<T | null>): Promise<T> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const reply = await read();
      if (reply !== null) return reply;
      await this.ensureReady(competitionId);
    }
    throw new Error(`leaderboard ${competitionId} stays unready`);
  }

  /** Rebuilds the board from Postgres unless it is ready; one rebuild per board at a time. */
  async ensureReady(competitionId: string): Promise<void> {
    const running = this.rebuilding.get(competitionId);
    if (running) return running;
    const rebuild = this.rebuild(competitionId).finally(() =>
      this.rebuilding.delete(competitionId),
    );
    this.rebuilding.set(competitionId, rebuild);
    return rebuild;
  }

  private async rebuild(competitionId: string): Promise<void> {
    const { redis } = this.deps;
    const keys = this.keys(competitionId);
    const token = randomUUID();
    const deadline = Date.now() + REBUILD_WAIT_MS;
    // Another replica may be rebuilding: wait for it to finish (or its lock to lapse).
    while (!(await redis.set(keys.lock, token, "PX", REBUILD_LOCK_MS, "NX"))) {
      if (await redis.exists(keys.ready)) return;
      if (Date.now() > deadline) throw new Error(`leaderboard ${competitionId}: rebuild timed out`);
      await new Promise((resolve) => setTimeout(resolve, REBUILD_POLL_MS));
    }
    try {
      if (await redis.exists(keys.ready)) return;
      const started = Date.now();
      let after = "00000000-0000-0000-0000-000000000000";
      let loaded = 0;
      for (;;) {
        const rows = await this.deps.prisma.$queryRaw<
          { userId: string; version: bigint; scoreMilli: bigint }[]
        >(Prisma.sql`SELECT user_id AS "userId", version, score_milli AS "scoreMilli"
          FROM competitions.participant
          WHERE competition_id = ${competitionId}::uuid AND user_id > ${after}::uuid
          ORDER BY user_id LIMIT ${REBUILD_CHUNK}`);
        if (rows.length === 0) break;
        const args = rows.flatMap((row) => [
          row.userId,
          row.version.toString(),
          row.scoreMilli.toString(),
        ]);
        await this.commands.competitionsLoad(keys.board, keys.versions, ...args);
        loaded += rows.length;
        after = rows.at(-1)!.userId;
        if (rows.length < REBUILD_CHUNK) break;
      }
      await this.commands.competitionsReady(keys.ready, keys.seq, this.channel(competitionId));
      this.deps.logger.info(
        { competitionId, participants: loaded, ms: Date.now() - started },
        "leaderboard rebuilt from postgres",
      );
    } finally {
      // Only our own lock: it may have lapsed and been taken by another replica.
      if ((await redis.get(keys.lock)) === token) await redis.del(keys.lock);
    }
  }
}

/**
 * Ranks a page's (user id, score) pairs given the rank and position of its first entry: an entry
 * tied with the one before shares its rank, any other's rank is its position (1 + those
 * strictly higher).
 */
function rankedEntries(firstRank: number, start: number, pairs: (number | string)[]): BoardEntry[] {
  const entries: BoardEntry[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const scoreMilli = BigInt(pairs[i + 1]!);
    const previous = entries.at(-1);
    const rank =
      previous === undefined
        ? firstRank
        : previous.scoreMilli === scoreMilli
          ? previous.rank
          : start + i / 2 + 1;
    entries.push({ userId: String(pairs[i]), rank, scoreMilli });
  }
  return entries;
}

export type { BoardChange };
