import { randomUUID } from "node:crypto";
import type { Logger } from "@pulse/platform/server";
import type { Redis } from "ioredis";

/**
 * Takes a place for socket `ARGV[1]` (`<replica>|<socket>`) in a person's set if fewer than
 * `ARGV[2]` places are held by live replicas: a place whose replica's heartbeat key
 * (`ARGV[3]` + replica) is gone belonged to a replica that died, and is dropped. Refreshes the
 * claiming replica's own heartbeat (`ARGV[4]` ms) and the set's expiry (`ARGV[5]` ms).
 * Answers 1 when taken, 0 when full. The heartbeat keys are not declared: one Redis, no cluster.
 */
const CLAIM = `
local claimer = string.match(ARGV[1], '^([^|]+)|')
redis.call('SET', ARGV[3] .. claimer, '1', 'PX', ARGV[4])
local held = 0
for _, place in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local replica = string.match(place, '^([^|]+)|')
  if replica and redis.call('EXISTS', ARGV[3] .. replica) == 1 then
    held = held + 1
  else
    redis.call('SREM', KEYS[1], place)
  end
end
if held >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/** How long a replica's places outlive it, if it dies without giving them back. */
const HEARTBEAT_MS = 60_000;
/**
 * How long a person's set outlives their last claim. A socket open longer than this with no new
 * one from the same person stops being counted: at worst a day-long socket lets one more in.
 */
const PLACES_KEPT_MS = 24 * 3600_000;

/** The claim script, sent once and then run by its hash (ioredis's `defineCommand`). */
interface QuotaCommands {
  claimSocketPlace(
    key: string,
    place: string,
    limit: number,
    heartbeatPrefix: string,
    heartbeatMs: number,
    placesKeptMs: number,
  ): Promise<number>;
}

export interface SocketQuotaOptions {
  redis: Redis;
  redisPrefix: string;
  /** Sockets one person may hold open across every replica. */
  limit: number;
  logger: Logger;
  heartbeatMs?: number;
}

/**
 * Sockets per person across every gateway replica. Each open socket holds a place in a Redis set
 * per person, given back when it closes. Each replica keeps a heartbeat key alive (one command
 * per third of `heartbeatMs`, however many sockets it holds); the places of a replica whose
 * heartbeat lapsed (it died) stop counting and are dropped at that person's next claim.
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
  private readonly heartbeatPrefix: string;
  /** This replica's heartbeat: its places count while this key lives. */
  private readonly heartbeatKey: string;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: SocketQuotaOptions) {
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.heartbeatPrefix = `${options.redisPrefix}gateway:alive:`;
    this.heartbeatKey = `${this.heartbeatPrefix}${this.replica}`;
    options.redis.defineCommand("claimSocketPlace", { numberOfKeys: 1, lua: CLAIM });
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
    const { redis, limit, logger } = this.options;
    try {
      const commands = redis as unknown as QuotaCommands;
      const taken = await commands.claimSocketPlace(
        this.key(personId),
        place,
        limit,
        this.heartbeatPrefix,
        this.heartbeatMs,
        PLACES_KEPT_MS,
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
   * over (a burst of closing sockets makes one pipeline, not a command each); one that fails is
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
    const pipeline = this.options.redis.pipeline();
    for (const [place, personId] of batch) pipeline.srem(this.key(personId), place);
    const results = await pipeline.exec().catch(() => null);
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
    await this.options.redis
      .del(this.heartbeatKey)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, "socket quota: heartbeat not ended"),
      );
  }

  private async beat(): Promise<void> {
    void this.flushReleases();
    await this.options.redis
      .set(this.heartbeatKey, "1", "PX", this.heartbeatMs)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, "socket quota: heartbeat missed"),
      );
  }
}
