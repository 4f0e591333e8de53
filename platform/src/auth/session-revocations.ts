import type { Redis } from "ioredis";

/**
 * Sessions signed out before their access tokens expire. Identity records them after the
 * revoking transaction commits; the gateway refuses access tokens of a recorded session. Entries
 * live as long as an access token can, after which expiry refuses the token anyway.
 */
export class SessionRevocations {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(sessionId: string): string {
    return `${this.prefix}auth:revoked-session:${sessionId}`;
  }

  /** Records `sessionIds` as signed out for `ttlSeconds` (the access-token lifetime). */
  async revoke(sessionIds: readonly string[], ttlSeconds: number): Promise<void> {
    if (sessionIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of sessionIds) pipeline.set(this.key(id), "1", "EX", ttlSeconds);
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([error]) => error)?.[0];
    if (failure) throw failure;
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(sessionId))) === 1;
  }
}
