import { createPrivateKey, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { Stack } from "./stack.ts";

/**
 * An access token exactly as the stack's identity issues it, but expiring in `seconds` (already
 * expired when negative), for tests of expiry.
 */
export function shortLivedToken(
  stack: Pick<Stack, "signingKeyPem">,
  user: { id: string },
  seconds: number,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "USER", sid: randomUUID(), jti: randomUUID() })
    .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt" })
    .setSubject(user.id)
    .setIssuer("pulse-identity")
    .setAudience("pulse-api")
    .setIssuedAt(now - Math.max(0, -seconds) - 1)
    .setExpirationTime(now + seconds)
    .sign(createPrivateKey(stack.signingKeyPem));
}
