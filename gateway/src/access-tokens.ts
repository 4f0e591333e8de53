import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from "jose";
import { LRUCache } from "lru-cache";
import {
  requestUnauthenticated,
  type Logger,
  type SessionRevocations,
  type Viewer,
} from "@pulse/platform";

export interface AccessTokenVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Sessions signed out before their access tokens expire. */
  revocations: SessionRevocations;
  logger: Logger;
}

/** A verified access token: who it proves, and until when. */
export interface VerifiedSession {
  viewer: Viewer;
  expiresAt: Date;
}

/** Verified access tokens remembered, at most. */
const REMEMBERED_TOKENS = 10_000;
/**
 * How long a verified token is remembered at most (never past its expiry): how long a key
 * identity stopped publishing still proves the tokens it signed.
 */
const TOKEN_MEMORY_MS = 60_000;

/**
 * Verifies access tokens against identity's published keys (fetched once, cached, refetched
 * when a token names an unknown key id, so key rotation needs no gateway restart). A verified
 * token is remembered, by its exact text, for a minute at most: a client sends the same token
 * with every request and opens its socket with it, and checking an EdDSA signature goes through
 * WebCrypto's thread pool. Whether its session was signed out is asked on every request.
 */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly verified = new LRUCache<string, VerifiedSession>({ max: REMEMBERED_TOKENS });

  constructor(private readonly options: AccessTokenVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000 });
  }

  /**
   * The viewer an `Authorization` header proves, or null when there is none.
   *
   * @throws UNAUTHENTICATED for a malformed header or a token that is forged, expired, for
   *   another audience, signed with anything but identity's keys, or of a signed-out session.
   */
  async verify(authorization: string | undefined): Promise<Viewer | null> {
    return (await this.verifySession(authorization))?.viewer ?? null;
  }

  /** As {@link verify}, with when the access token expires (a subscription ends then). */
  async verifySession(authorization: string | undefined): Promise<VerifiedSession | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw requestUnauthenticated("Authorization must be `Bearer <accessToken>`");
    const token = match[1];
    // Redis is asked while the signature is checked, for the session the token names; the
    // answer counts only for the session the verified token proves.
    const claimed = claimedSessionId(token);
    const signedOut = claimed ? this.isSignedOut(claimed) : undefined;
    const session = await this.verifyToken(token);
    const { sessionId } = session.viewer;
    const revoked =
      sessionId === claimed && signedOut ? await signedOut : await this.isSignedOut(sessionId);
    if (revoked) {
      throw requestUnauthenticated("This session has been signed out");
    }
    return session;
  }

  private async verifyToken(token: string): Promise<VerifiedSession> {
    const remembered = this.verified.get(token);
    if (remembered && Date.now() < remembered.expiresAt.getTime()) return remembered;
    const session = await this.checkSignature(token);
    const ttl = Math.min(TOKEN_MEMORY_MS, session.expiresAt.getTime() - Date.now());
    if (ttl > 0) this.verified.set(token, session, { ttl });
    return session;
  }

  private async checkSignature(token: string): Promise<VerifiedSession> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ["EdDSA"],
        typ: "at+jwt",
        requiredClaims: ["sub", "exp", "sid"],
      });
      const role = payload.role as unknown;
      if ((role !== "USER" && role !== "ADMIN") || typeof payload.sid !== "string") {
        throw new Error("missing claims");
      }
      // Shared by every request that presents the token: frozen, so none can alter it.
      return Object.freeze({
        viewer: Object.freeze({ id: payload.sub!, role, sessionId: payload.sid }),
        expiresAt: new Date(payload.exp! * 1000),
      });
    } catch {
      throw requestUnauthenticated("Invalid or expired access token");
    }
  }

  /**
   * Whether the session was signed out. If Redis cannot say, the token's own 15-minute expiry
   * stays the limit: a Redis outage should not sign everyone out.
   */
  private async isSignedOut(sessionId: string): Promise<boolean> {
    try {
      return await this.options.revocations.isRevoked(sessionId);
    } catch (error) {
      this.options.logger.warn({ err: error }, "session revocation check unavailable");
      return false;
    }
  }
}

/** The session id a token claims, unverified; undefined if it names none. */
function claimedSessionId(token: string): string | undefined {
  try {
    const { sid } = decodeJwt(token);
    return typeof sid === "string" ? sid : undefined;
  } catch {
    return undefined;
  }
}
