import { jwtVerify, SignJWT, type JWTPayload } from "jose";
import { LRUCache } from "lru-cache";
import { requestUnauthenticated } from "../errors/errors.ts";

/** The header carrying the gateway's signed statement of who is calling. */
export const FORWARDED_IDENTITY_HEADER = "x-pulse-identity";
/** The header carrying the request id from the gateway to subgraphs and into their logs. */
export const REQUEST_ID_HEADER = "x-request-id";

const ISSUER = "pulse-gateway";
const AUDIENCE = "pulse-subgraphs";
const LIFETIME_SECONDS = 60;

export type Role = "USER" | "ADMIN";

/** A signed-in person, as verified by the gateway from their access token. */
export interface Viewer {
  id: string;
  role: Role;
  /** The sign-in (refresh-token family) the access token belongs to. */
  sessionId: string;
}

/** What the gateway vouches for on every subgraph request. */
export interface ForwardedIdentity {
  viewer: Viewer | null;
  /** The client's address as the gateway saw it, for per-address rate limits. */
  clientIp: string;
  requestId: string;
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * Signs what the gateway verified about a request, for subgraphs to trust. A short-lived HS256
 * JWT under a secret only the gateway and subgraphs hold: a client can neither forge one nor
 * reach a subgraph without one.
 */
export async function signForwardedIdentity(
  identity: ForwardedIdentity,
  secret: string,
  /** Until when it holds: a minute by default; a subscription's lasts as long as its access token. */
  expiresAt?: Date,
): Promise<string> {
  return new SignJWT({
    ...(identity.viewer ? { role: identity.viewer.role, sid: identity.viewer.sessionId } : {}),
    ip: identity.clientIp,
    rid: identity.requestId,
  })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(identity.viewer?.id ?? "anonymous")
    .setIssuedAt()
    .setExpirationTime(expiresAt ?? `${LIFETIME_SECONDS}s`)
    .sign(key(secret));
}

/** Verified statements remembered per process, by their exact text. */
const VERIFIED_IDENTITIES_KEPT = 10_000;

/**
 * Verifies the gateway's statements on a subgraph's requests. The answer for a statement is
 * remembered until it expires: every event of a subscription carries the same statement into
 * the entity fetches its plan makes, and verifying it again each time was a third of a fetch's
 * CPU. Only a byte-identical statement, signature included, is answered from memory.
 */
export class ForwardedIdentityVerifier {
  private readonly verified = new LRUCache<
    string,
    { identity: ForwardedIdentity; expiresAtMs: number }
  >({ max: VERIFIED_IDENTITIES_KEPT });

  constructor(private readonly secret: string) {}

  /**
   * @throws UNAUTHENTICATED when the statement is missing, forged, expired or malformed: the
   *   request did not come through the gateway.
   */
  async verify(token: string | undefined): Promise<ForwardedIdentity> {
    if (!token) throw requestUnauthenticated("Requests must come through the gateway");
    const remembered = this.verified.get(token);
    if (remembered && Date.now() < remembered.expiresAtMs) return remembered.identity;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key(this.secret), {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
        requiredClaims: ["exp"],
      }));
    } catch {
      throw requestUnauthenticated("Requests must come through the gateway");
    }
    // Shared by every request that presents the statement: frozen, so none can alter it.
    const identity = identityOf(payload);
    this.verified.set(token, { identity, expiresAtMs: payload.exp! * 1000 });
    return identity;
  }
}

function identityOf(payload: JWTPayload): ForwardedIdentity {
  const { sub, sid, ip, rid } = payload;
  const role = payload.role as unknown;
  const viewer: Viewer | null =
    sub && sub !== "anonymous" && (role === "USER" || role === "ADMIN") && typeof sid === "string"
      ? { id: sub, role, sessionId: sid }
      : null;
  return Object.freeze({
    viewer: viewer && Object.freeze(viewer),
    clientIp: typeof ip === "string" ? ip : "unknown",
    requestId: typeof rid === "string" ? rid : "unknown",
  });
}
