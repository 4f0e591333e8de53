import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";

/** The algorithm access tokens are signed with: Ed25519, small and fast to verify. */
export const ACCESS_TOKEN_ALG = "EdDSA";

/**
 * The key that signs access tokens, and the public keys published at
 * `/.well-known/jwks.json` so the gateway can verify them: the current one plus retired ones
 * whose tokens may still be in use (rotation without sign-outs).
 */
export class SigningKeys {
  private constructor(
    readonly privateKey: KeyObject,
    readonly keyId: string,
    private readonly publicJwks: JWK[],
  ) {}

  static async fromPem(
    privateKeyPem: string,
    previousPublicKeys: JWK[] = [],
  ): Promise<SigningKeys> {
    const privateKey = createPrivateKey(privateKeyPem);
    if (privateKey.asymmetricKeyType !== "ed25519") {
      throw new Error("JWT_PRIVATE_KEY: must be an Ed25519 key");
    }
    const publicJwk = createPublicKey(privateKey).export({ format: "jwk" }) as JWK;
    const keyId = await calculateJwkThumbprint(publicJwk);
    const current = { ...publicJwk, kid: keyId, alg: ACCESS_TOKEN_ALG, use: "sig" };
    return new SigningKeys(privateKey, keyId, [current, ...previousPublicKeys]);
  }

  /** The JSON Web Key Set document. */
  jwks(): { keys: JWK[] } {
    return { keys: this.publicJwks };
  }
}
