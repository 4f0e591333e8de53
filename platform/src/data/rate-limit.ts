import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Redis } from "ioredis";
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

  constructor(redis: Redis, prefix: string, rule: RateLimitRule) {
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
