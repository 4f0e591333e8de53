import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { ACCESS_TOKEN_ALG, type SigningKeys } from "./signing-keys.service.ts";

export interface AccessTokenSubject {
  accountId: string;
  role: "USER" | "ADMIN";
  sessionId: string;
}

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/**
 * Issues access tokens: JWTs (`typ: at+jwt`) with the account as subject, its role, and the
 * session (`sid`) they belong to, signed with the current key.
 */
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: AccessTokenSettings,
  ) {}

  async issue(
    subject: AccessTokenSubject,
    now = new Date(),
  ): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = new Date((issuedAt + this.settings.ttlSeconds) * 1000);
    const token = await new SignJWT({ role: subject.role, sid: subject.sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: this.keys.keyId, typ: "at+jwt" })
      .setSubject(subject.accountId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
    return { token, expiresAt };
  }
}
