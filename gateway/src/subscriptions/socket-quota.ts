import { randomUUID } from "node:crypto";
import type { Logger } from "@pulse/platform";
import type { Redis } from "ioredis";

/**
 * Takes a place for `ARGV[1]` in a person's set if fewer than `ARGV[2]` leases are current,
 * leased for `ARGV[3]` ms; lapsed leases (a replica that died holding them) are dropped first.
 * Time is Redis's own, so replicas' clocks need not agree. Answers 1 when taken, 0 when full.
 */
const CLAIM = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** Extends the lease `ARGV[1]` by `ARGV[2]` ms, if the person's set still holds it. */
const RENEW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1`;

/** How long a socket's place outlives the replica holding it, if that replica dies. */
const LEASE_MS = 60_000;
const RENEWALS_PER_PIPELINE = 500;

/** The scripts, sent once and then run by their hash (ioredis's `defineCommand`). */
interface QuotaCommands {
  claimSocketPlace(key: string, lease: string, limit: number, leaseMs: number): Promise<number>;
  renewSocketPlace(key: string, lease: string, leaseMs: number): unknown;
}

export interface SocketQuotaOptions {
  redis: Redis;
  redisPrefix: string;
  /** Sockets one person may hold open across every replica. */
  limit: number;
  logger: Logger;
  leaseMs?: number;
}

/**
 * Sockets per person across every gateway replica. Each open socket holds a lease in a Redis
 * sorted set per person, renewed while it is open and given back when it closes; a replica that
 * dies without giving its leases back loses them within a lease's length.
 *
 * When Redis cannot answer, a socket is let in (and logged): the limit guards against abuse, and
 * a Redis outage must not lock everyone out of live updates.
 */
export class SocketQuota {
  private readonly held = new Map<string, string>();
  private readonly leaseMs: number;
  private readonly renewal: NodeJS.Timeout;

  constructor(private readonly options: SocketQuotaOptions) {
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    options.redis.defineCommand("claimSocketPlace", { numberOfKeys: 1, lua: CLAIM });
    options.redis.defineCommand("renewSocketPlace", { numberOfKeys: 1, lua: RENEW });
    this.renewal = setInterval(() => void this.renew(), this.leaseMs / 3);
    this.renewal.unref();
  }

  private key(personId: string): string {
    return `${this.options.redisPrefix}gateway:sockets:${personId}`;
  }

  /** A lease for one more socket of `personId`, or null when they hold the limit already. */
  async claim(personId: string): Promise<string | null> {
    const lease = randomUUID();
    const { redis, limit, logger } = this.options;
    try {
      const commands = redis as unknown as QuotaCommands;
      const taken = await commands.claimSocketPlace(this.key(personId), lease, limit, this.leaseMs);
      if (taken !== 1) return null;
    } catch (error) {
      logger.warn({ err: error }, "socket quota unavailable: socket let in uncounted");
      return lease;
    }
    this.held.set(lease, personId);
    return lease;
  }

  /** Gives a socket's place back. */
  release(lease: string): void {
    const personId = this.held.get(lease);
    if (personId === undefined) return;
    this.held.delete(lease);
    this.options.redis
      .zrem(this.key(personId), lease)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, "socket quota: place not given back"),
      );
  }

  /** Gives every place back; leases claimed later are not renewed. */
  close(): void {
    clearInterval(this.renewal);
    for (const lease of [...this.held.keys()]) this.release(lease);
  }

  /**
   * Renews every held lease, a slice of pipelined commands at a time: 10,000 sockets in one
   * pipeline would stall this gateway's event loop for every event in flight.
   */
  private async renew(): Promise<void> {
    const held = [...this.held];
    for (let start = 0; start < held.length; start += RENEWALS_PER_PIPELINE) {
      const pipeline = this.options.redis.pipeline();
      const commands = pipeline as unknown as QuotaCommands;
      for (const [lease, personId] of held.slice(start, start + RENEWALS_PER_PIPELINE)) {
        commands.renewSocketPlace(this.key(personId), lease, this.leaseMs);
      }
      const results = (await pipeline.exec().catch((error: unknown) => [[error]])) ?? [];
      const failure = results.find(([error]) => error)?.[0];
      if (failure) {
        this.options.logger.warn({ err: failure }, "socket quota: leases not renewed");
        return;
      }
    }
  }
}
