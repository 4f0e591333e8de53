import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RedisConnection } from "./redis.ts";
import { z } from "zod";
import { rateLimited } from "../errors/errors.ts";

export interface RateLimitRule {
  /** Distinguishes this limit's keys from others'. */
  name: string;
  /** Attempts allowed per window. */
  points: number;
  /** Window length in seconds. */
  durationSeconds: number;
}

/**
 * A fixed-window limit kept in Redis (rate-limiter-flexible), shared by every replica.
 * `consume(key)` throws RATE_LIMITED with `retryAfterSeconds` once the key is over its limit.
 */
export class RateLimit {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: RedisConnection, prefix: string, rule: RateLimitRule) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}rl:${rule.name}`,
      points: rule.points,
      duration: rule.durationSeconds,
    });
  }

  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      }
      throw error;
    }
  }
}

/** Attempts per window, by limit name: a subgraph's defaults, or what configuration changes. */
export type RateLimitTable = Record<string, Omit<RateLimitRule, "name">>;

/**
 * `RATE_LIMITS`: changes to a process's limits, as `name=points/seconds` separated by commas
 * (`register:address=5/3600,send-message:person=120/60`). Names are those in docs/operations.md.
 */
export const rateLimitOverrides = z
  .string()
  .default("")
  .transform((text, context): RateLimitTable => {
    const table: RateLimitTable = {};
    for (const entry of text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const match = /^([\w:-]+)=(\d+)\/(\d+)$/.exec(entry);
      if (!match) {
        context.addIssue({ code: "custom", message: `"${entry}" is not name=points/seconds` });
        return z.NEVER;
      }
      table[match[1]!] = { points: Number(match[2]), durationSeconds: Number(match[3]) };
    }
    return table;
  });

/**
 * A process's named limits: `defaults`, with `overrides` from configuration. An override of a
 * name the process does not have is refused, so a typo cannot silently leave a limit as it was.
 */
export class RateLimits<Name extends string> {
  private readonly limits = new Map<string, RateLimit>();

  constructor(
    redis: RedisConnection,
    prefix: string,
    defaults: Record<Name, Omit<RateLimitRule, "name">>,
    overrides: RateLimitTable = {},
  ) {
    for (const name of Object.keys(overrides)) {
      if (!(name in defaults))
        throw new Error(`RATE_LIMITS names no limit of this process: ${name}`);
    }
    for (const [name, rule] of Object.entries<Omit<RateLimitRule, "name">>(defaults)) {
      this.limits.set(name, new RateLimit(redis, prefix, { name, ...rule, ...overrides[name] }));
    }
  }

  /** Counts one attempt of `key` (a person, an address, an email) against limit `name`. */
  consume(name: Name, key: string): Promise<void> {
    return this.limits.get(name)!.consume(key);
  }
}
