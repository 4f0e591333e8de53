import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** The secrets every dev process shares. */
export interface DevSecrets {
  /** Shared by gateway and subgraphs to sign and check forwarded identities. */
  gatewaySecret: string;
  /** Ed25519 private key (PKCS#8 PEM) identity signs access tokens with. */
  jwtPrivateKey: string;
}

/**
 * The dev secrets: `GATEWAY_SECRET` and `JWT_PRIVATE_KEY` from the environment when set,
 * otherwise read from `keysDir`, generated there on first use. Kept on disk so access and refresh
 * tokens stay valid across restarts of `pnpm dev`.
 */
export async function loadDevSecrets(keysDir: string): Promise<DevSecrets> {
  return {
    gatewaySecret:
      process.env.GATEWAY_SECRET ||
      (await readOrCreate(path.join(keysDir, "gateway-secret"), () =>
        randomBytes(32).toString("base64url"),
      )),
    jwtPrivateKey:
      process.env.JWT_PRIVATE_KEY ||
      (await readOrCreate(path.join(keysDir, "jwt-private-key.pem"), () =>
        generateKeyPairSync("ed25519")
          .privateKey.export({ type: "pkcs8", format: "pem" })
          .toString(),
      )),
  };
}

async function readOrCreate(file: string, create: () => string): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = create();
  // Owner-only; "wx" never overwrites a key that something else wrote in the meantime.
  await writeFile(file, `${value.trim()}\n`, { mode: 0o600, flag: "wx" });
  return value.trim();
}
