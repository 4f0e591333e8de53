import { randomUUID } from "node:crypto";
import {
  sendEach,
  type Logger,
  type RedisCommand,
  type RedisConnection,
} from "@pulse/platform/server";

/**
 * Takes a place for socket `ARGV[1]` (`<replica>|<socket>`) in a person's set (KEYS[1]) if fewer
 * than `ARGV[2]` places are held by replicas not among the ended ones (`ARGV[4]`, ...): the
 * places of an ended replica are dropped. Refreshes the set's expiry (`ARGV[3]` ms).
 * Answers 1 when taken, 0 when full. It touches its one key only, so it runs on a cluster: the
 * replicas' heartbeats live in another slot, read before it (ENDED).
 */
const CLAIM = `
local ended = {}
for i = 4, #ARGV do ended[ARGV[i]] = true end
local held = 0
for _, place in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local replica = string.match(place, '^([^|]+)|')
  if replica and not ended[replica] then
    held = held + 1
  else
    redis.call('SREM', KEYS[1], place)
  end
end
if held >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** Redis's clock in milliseconds, so that every replica judges heartbeats by one clock. */
const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * Replica `ARGV[1]`'s heartbeat in the replicas' sorted set (KEYS[1]): alive until `ARGV[2]` ms
 * from now (0: it has ended). Forgets replicas whose heartbeat ended `ARGV[3]` ms ago.
 */
const BEAT = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1`;

/** The replicas whose heartbeat ended (they died or closed), from the sorted set KEYS[1]. */
const ENDED = `${NOW}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)`;

/** How long a replica's places outlive it, if it dies without giving them back. */
const HEARTBEAT_MS = 60_000;
/**
 * How long a person's set outlives their last claim. A socket open longer than this with no new
 * one from the same person stops being counted: at worst a day-long socket lets one more in.
 */
const PLACES_KEPT_MS = 24 * 3600_000;
/**
 * How long an ended replica is remembered: past the expiry of any set holding its places (a set
 * lives `PLACES_KEPT_MS` after a claim, and every claim after the end drops them).
 */
const REPLICAS_KEPT_MS = 2 * PLACES_KEPT_MS;

/** The scripts, each sent once and then run by its hash (ioredis's `defineCommand`). */
interface QuotaCommands {
  claimSocketPlace(
    key: string,
    place: string,
    limit: number,
    placesKeptMs: number,
    ...endedReplicas: string[]
  ): Promise<number>;
  beatSocketReplica(
    replicasKey: string,
    replica: string,
    aliveMs: number,
    forgetMs: number,
  ): Promise<number>;
  endedSocketReplicas(replicasKey: string): Promise<string[]>;
}

export interface SocketQuotaOptions {
  redis: RedisConnection;
  redisPrefix: string;
  /** Sockets one person may hold open across every replica. */
  limit: number;
  logger: Logger;
  heartbeatMs?: number;
}

/**
 * Sockets per person across every gateway replica. Each open socket holds a place in a Redis set
 * per person, given back when it closes. Each replica keeps its heartbeat alive in one sorted set
 * of replicas (one command per third of `heartbeatMs`, however many sockets it holds); the places
 * of a replica whose heartbeat lapsed (it died) or ended (it closed) stop counting and are
 * dropped at that person's next claim. A claim reads the ended replicas, then claims: two
 * commands, since the person's set and the replicas' live in different slots of a cluster.
 *
 * When Redis cannot answer, a socket is let in (and logged): the limit guards against abuse, and
 * a Redis outage must not lock everyone out of live updates.
 */
export class SocketQuota {
  private readonly replica = randomUUID();
  private readonly held = new Map<string, string>();
  /** Places given back but not yet removed in Redis (retried until they are), by person. */
  private readonly releasing = new Map<string, string>();
  private flushScheduled = false;
  private readonly heartbeatMs: number;
  /** Every replica's heartbeat: a sorted set of replica ids by the time their heartbeat ends. */
  private readonly replicasKey: string;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly commands: QuotaCommands;
  /** Whether this replica's heartbeat is in Redis, so that its places can be told apart. */
  private beaten = false;
  private closed = false;

  constructor(private readonly options: SocketQuotaOptions) {
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.replicasKey = `${options.redisPrefix}gateway:replicas`;
    const { redis } = options;
    redis.defineCommand("claimSocketPlace", { numberOfKeys: 1, lua: CLAIM });
    redis.defineCommand("beatSocketReplica", { numberOfKeys: 1, lua: BEAT });
    redis.defineCommand("endedSocketReplicas", { numberOfKeys: 1, lua: ENDED });
    this.commands = redis as unknown as QuotaCommands;
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs / 3);
    this.heartbeat.unref();
  }

  private key(personId: string): string {
    return `${this.options.redisPrefix}gateway:sockets:${personId}`;
  }

  /** A place for one more socket of `personId`, or null when they hold the limit already. */
  async claim(personId: string): Promise<string | null> {
    const place = `${this.replica}|${randomUUID()}`;
    // Shutting down: nothing is counted for this replica any more.
    if (this.closed) return place;
    const { limit, logger } = this.options;
    try {
      // A place must never be taken before its replica's heartbeat, which ends it, exists.
      if (!this.beaten) await this.sendBeat();
      const ended = await this.commands.endedSocketReplicas(this.replicasKey);
      const taken = await this.commands.claimSocketPlace(
        this.key(personId),
        place,
        limit,
        PLACES_KEPT_MS,
        ...ended,
      );
      if (taken !== 1) return null;
    } catch (error) {
      logger.warn({ err: error }, "socket quota unavailable: socket let in uncounted");
      return place;
    }
    this.held.set(place, personId);
    return place;
  }

  /**
   * Gives a socket's place back. Removals are sent together once this turn of the event loop is
   * over (a burst of closing sockets makes one batch, not a command each); one that fails is
   * retried with the next heartbeat, since a place left behind counts while this gateway lives.
   */
  release(place: string): void {
    const personId = this.held.get(place);
    if (personId === undefined || this.closed) return;
    this.held.delete(place);
    this.releasing.set(place, personId);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flushReleases());
  }

  private async flushReleases(): Promise<void> {
    this.flushScheduled = false;
    if (this.releasing.size === 0) return;
    const batch = [...this.releasing];
    const results = await sendEach(
      this.options.redis,
      batch.map(([place, personId]): RedisCommand => ["srem", this.key(personId), place]),
    ).catch(() => null);
    batch.forEach(([place], index) => {
      if (results && !results[index]?.[0]) this.releasing.delete(place);
    });
    if (this.releasing.size > 0) {
      this.options.logger.warn(
        { places: this.releasing.size },
        "socket quota: places not given back yet, retried with the next heartbeat",
      );
    }
  }

  /**
   * Gives every place back at once, by ending this replica's heartbeat: the sockets closing
   * next need no command each.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.held.clear();
    this.releasing.clear();
    await this.commands
      .beatSocketReplica(this.replicasKey, this.replica, 0, REPLICAS_KEPT_MS)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, "socket quota: heartbeat not ended"),
      );
  }

  private async beat(): Promise<void> {
    void this.flushReleases();
    await this.sendBeat().catch((error: unknown) =>
      this.options.logger.warn({ err: error }, "socket quota: heartbeat missed"),
    );
  }

  private async sendBeat(): Promise<void> {
    await this.commands.beatSocketReplica(
      this.replicasKey,
      this.replica,
      this.heartbeatMs,
      REPLICAS_KEPT_MS,
    );
    this.beaten = true;
  }
}
