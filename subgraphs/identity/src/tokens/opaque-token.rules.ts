import { createHash, randomBytes } from "node:crypto";

/**
 * A random bearer secret (refresh token, emailed link token) and the SHA-256 hash under which it
 * is stored. 256 random bits need no salt or slow hash: nothing can be guessed from the hash.
 */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
