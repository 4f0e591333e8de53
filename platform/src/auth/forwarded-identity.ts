import { createSigner, createVerifier } from "fast-jwt";
import { LRUCache } from "lru-cache";
import { boundedMemo } from "../data/memo.ts";
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

/** The claims of a statement, as signed. */
interface StatementClaims {
  sub: string;
  role?: Role;
  sid?: string;
  ip: string;
  rid: string;
  exp: number;
}

/** One signer per secret: a process has one, tests a few. */
const signerFor = boundedMemo(8, (secret: string): ((claims: StatementClaims) => string) =>
  createSigner({ key: secret, algorithm: "HS256", iss: ISSUER, aud: AUDIENCE }),
);

/**
 * Signs what the gateway verified about a request, for subgraphs to trust. A short-lived HS256
 * JWT under a secret only the gateway and subgraphs hold: a client can neither forge one nor
 * reach a subgraph without one. Signed and verified with fast-jwt, on node:crypto in the calling
 * thread: jose goes through WebCrypto, whose every HMAC waits for a libuv pool thread, and with
 * the machine's cores busy that wait reached 20 ms at p99 on each of the three hops (the
 * gateway's signature, then chat's and profiles' checks) of a message sent through the gateway.
 */
export async function signForwardedIdentity(
  identity: ForwardedIdentity,
  secret: string,
  /** Until when it holds: a minute by default; a subscription's lasts as long as its access token. */
  expiresAt?: Date,
): Promise<string> {
  const expiresAtMs = expiresAt?.getTime() ?? Date.now() + LIFETIME_SECONDS * 1000;
  return signerFor(secret)({
    sub: identity.viewer?.id ?? "anonymous",
    ...(identity.viewer ? { role: identity.viewer.role, sid: identity.viewer.sessionId } : {}),
    ip: identity.clientIp,
    rid: identity.requestId,
    exp: Math.floor(expiresAtMs / 1000),
  });
}

/** Verified statements remembered per process, by their exact text. */
const VERIFIED_IDENTITIES_KEPT = 10_000;

/**
 * Verifies the gateway's statements on a subgraph's requests. A statement made to outlast one
 * request (a subscription's: every event carries it into the entity fetches its plan makes) is
 * remembered until it expires, since verifying it again each time was a third of a fetch's CPU.
 * A request's own statement (a minute, a new one per request) is not: remembered, each stayed
 * alive long enough to be promoted to the old generation, in every subgraph a request reached.
 * Only a byte-identical statement, signature included, is answered from memory.
 */
export class ForwardedIdentityVerifier {
  private readonly verified = new LRUCache<
    string,
    { identity: ForwardedIdentity; expiresAtMs: number }
  >({ max: VERIFIED_IDENTITIES_KEPT });

  private readonly verifyStatement: (token: string) => Record<string, unknown>;

  constructor(secret: string) {
    this.verifyStatement = createVerifier({
      key: secret,
      algorithms: ["HS256"],
      allowedIss: ISSUER,
      allowedAud: AUDIENCE,
      requiredClaims: ["exp"],
    });
  }

  /**
   * @throws UNAUTHENTICATED when the statement is missing, forged, expired or malformed: the
   *   request did not come through the gateway.
   */
  async verify(token: string | undefined): Promise<ForwardedIdentity> {
    if (!token) throw requestUnauthenticated("Requests must come through the gateway");
    const remembered = this.verified.get(token);
    if (remembered && Date.now() < remembered.expiresAtMs) return remembered.identity;
    let payload: Record<string, unknown>;
    try {
      payload = this.verifyStatement(token);
    } catch {
      throw requestUnauthenticated("Requests must come through the gateway");
    }
    // Shared by every request that presents the statement: frozen, so none can alter it.
    const identity = identityOf(payload);
    if (Number(payload.exp) - Number(payload.iat) > LIFETIME_SECONDS) {
      this.verified.set(token, { identity, expiresAtMs: Number(payload.exp) * 1000 });
    }
    return identity;
  }

  /** How many statements are remembered now. */
  get remembered(): number {
    return this.verified.size;
  }
}

function identityOf(payload: Record<string, unknown>): ForwardedIdentity {
  const { sub, sid, ip, rid, role } = payload;
  const viewer: Viewer | null =
    typeof sub === "string" &&
    sub !== "anonymous" &&
    (role === "USER" || role === "ADMIN") &&
    typeof sid === "string"
      ? { id: sub, role, sessionId: sid }
      : null;
  return Object.freeze({
    viewer: viewer && Object.freeze(viewer),
    clientIp: typeof ip === "string" ? ip : "unknown",
    requestId: typeof rid === "string" ? rid : "unknown",
  });
}
