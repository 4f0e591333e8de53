import { KeyObject, type webcrypto } from "node:crypto";
import { createVerifier } from "fast-jwt";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, type RemoteJWKSet } from "jose";
import { LRUCache } from "lru-cache";
import {
  requestUnauthenticated,
  type Logger,
  type SessionRevocations,
  type Viewer,
} from "@pulse/platform/server";

export interface AccessTokenVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Sessions signed out before their access tokens expire. */
  revocations: Pick<SessionRevocations, "isRevoked">;
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

/** Checks a token's signature and claims, in the calling thread. */
type SignatureCheck = (token: string) => Record<string, unknown>;

/**
 * Verifies access tokens against identity's published keys (fetched once, cached, refetched
 * when a token names an unknown key id, so key rotation needs no gateway restart). jose fetches
 * and selects the keys; fast-jwt checks signatures and claims on `node:crypto`, in the calling
 * thread, where jose's WebCrypto would wait for a libuv pool thread on every check (that wait
 * measured p99 22.5 ms next to busy processes). A verified token is remembered, by its exact
 * text, for a minute at most: a client sends the same token with every request and opens its
 * socket with it. Whether its session was signed out is asked on every request (of
 * `revocations`, which may remember the answer until the session's revocation is announced).
 */
export class AccessTokenVerifier {
  private readonly keys: RemoteJWKSet;
  private readonly verified = new LRUCache<string, VerifiedSession>({ max: REMEMBERED_TOKENS });
  /** A signature check per published key, made when a token first names it. */
  private readonly checks = new WeakMap<webcrypto.CryptoKey, SignatureCheck>();

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
      const header = decodeProtectedHeader(token);
      // Only access tokens: identity's other tokens (none yet) must not pass for one.
      if (header.alg !== "EdDSA" || normalizedType(header.typ) !== "at+jwt") {
        throw new Error("not an access token");
      }
      const payload = this.signatureCheck(await this.keys(header))(token);
      const { sub, sid, exp, role } = payload;
      if (
        (role !== "USER" && role !== "ADMIN") ||
        typeof sub !== "string" ||
        typeof sid !== "string" ||
        typeof exp !== "number"
      ) {
        throw new Error("missing claims");
      }
      // Shared by every request that presents the token: frozen, so none can alter it.
      return Object.freeze({
        viewer: Object.freeze({ id: sub, role, sessionId: sid }),
        expiresAt: new Date(exp * 1000),
      });
    } catch {
      throw requestUnauthenticated("Invalid or expired access token");
    }
  }

  private signatureCheck(key: webcrypto.CryptoKey): SignatureCheck {
    let check = this.checks.get(key);
    if (!check) {
      check = createVerifier({
        key: KeyObject.from(key).export({ type: "spki", format: "pem" }).toString(),
        algorithms: ["EdDSA"],
        allowedIss: this.options.issuer,
        allowedAud: this.options.audience,
        requiredClaims: ["sub", "exp", "sid"],
      }) as SignatureCheck;
      this.checks.set(key, check);
    }
    return check;
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

/** A JOSE `typ` compared as RFC 7515 says: case-insensitively, "application/" implied. */
function normalizedType(typ: string | undefined): string | undefined {
  return typ?.toLowerCase().replace(/^application\//, "");
}
