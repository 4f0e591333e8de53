import { sendEach, type RedisCommand, type RedisConnection } from "../data/redis.ts";
import { onChannelMessage, publishCommand, subscribeChannel } from "../data/redis-channels.ts";

/**
 * Sessions signed out before their access tokens expire. Identity records them after the
 * revoking transaction commits; the gateway refuses access tokens of a recorded session. Entries
 * live as long as an access token can, after which expiry refuses the token anyway. Each
 * revocation is also announced, so sockets already open on a signed-out session end at once.
 */
export class SessionRevocations {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  private key(sessionId: string): string {
    return `${this.prefix}auth:revoked-session:${sessionId}`;
  }

  /** Where revocations are announced: a JSON array of session ids per message. */
  get channel(): string {
    return `${this.prefix}auth:sessions-revoked`;
  }

  /** Records `sessionIds` as signed out for `ttlSeconds` (the access-token lifetime). */
  async revoke(sessionIds: readonly string[], ttlSeconds: number): Promise<void> {
    if (sessionIds.length === 0) return;
    const results = await sendEach(this.redis, [
      ...sessionIds.map((id): RedisCommand => ["set", this.key(id), "1", "EX", ttlSeconds]),
      [publishCommand(this.redis), this.channel, JSON.stringify(sessionIds)],
    ]);
    const failure = results.find(([error]) => error)?.[0];
    if (failure) throw failure;
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(sessionId))) === 1;
  }

  /**
   * Calls `listener` with the session ids of every revocation announced from now on. Resolves
   * once Redis listens. `subscriber` must be a connection of its own, created with
   * `subscriber: true`.
   */
  async listen(
    subscriber: RedisConnection,
    listener: (sessionIds: string[]) => void,
  ): Promise<void> {
    onChannelMessage(subscriber, (channel, message) => {
      if (channel === this.channel) listener(JSON.parse(message) as string[]);
    });
    await subscribeChannel(subscriber, this.channel);
  }
}
