import { jwtVerify, SignJWT } from "jose";
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

/**
 * Verifies the gateway's statement on a subgraph request.
 *
 * @throws UNAUTHENTICATED when it is missing, forged, expired or malformed: the request did not
 *   come through the gateway.
 */
export async function verifyForwardedIdentity(
  token: string | undefined,
  secret: string,
): Promise<ForwardedIdentity> {
  if (!token) throw requestUnauthenticated("Requests must come through the gateway");
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    const { sub, sid, ip, rid } = payload;
    const role = payload.role as unknown;
    const viewer: Viewer | null =
      sub && sub !== "anonymous" && (role === "USER" || role === "ADMIN") && typeof sid === "string"
        ? { id: sub, role, sessionId: sid }
        : null;
    return {
      viewer,
      clientIp: typeof ip === "string" ? ip : "unknown",
      requestId: typeof rid === "string" ? rid : "unknown",
    };
  } catch {
    throw requestUnauthenticated("Requests must come through the gateway");
  }
}
