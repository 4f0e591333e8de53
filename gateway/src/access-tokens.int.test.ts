import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { exportJWK, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createLogger, SessionRevocations } from "@pulse/platform/server";
import { AccessTokenVerifier } from "./access-tokens.ts";

const ISSUER = "https://identity.test";
const AUDIENCE = "pulse-api";
const { privateKey, publicKey } = generateKeyPairSync("ed25519");

let jwks: Server;
let redis: Redis;
let revocations: SessionRevocations;
let verifier: AccessTokenVerifier;

beforeAll(async () => {
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "EdDSA", use: "sig" };
  jwks = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  redis = new Redis(inject("redisUrl"));
  const prefix = `${inject("redisPrefix")}tokens-${randomBytes(4).toString("hex")}:`;
  revocations = new SessionRevocations(redis, prefix);
  verifier = new AccessTokenVerifier({
    jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
    issuer: ISSUER,
    audience: AUDIENCE,
    revocations,
    logger: createLogger("test", "silent"),
  });
});
afterAll(async () => {
  redis?.disconnect();
  await new Promise((resolve) => jwks?.close(resolve));
});
afterEach(() => vi.useRealTimers());

function accessToken(sessionId: string, expiresInSeconds = 900): Promise<string> {
  return new SignJWT({ role: "USER", sid: sessionId })
    .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", kid: "k1" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(randomUUID())
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(privateKey);
}

const refused = (message: string) => ({ extensions: { code: "UNAUTHENTICATED" }, message });

describe("AccessTokenVerifier", () => {
  it("still refuses a remembered token once its session is signed out", async () => {
    const sessionId = randomUUID();
    const token = await accessToken(sessionId);
    const session = await verifier.verifySession(`Bearer ${token}`);
    expect(session?.viewer.sessionId).toBe(sessionId);
    expect(await verifier.verifySession(`Bearer ${token}`)).toEqual(session);

    await revocations.revoke([sessionId], 60);
    await expect(verifier.verifySession(`Bearer ${token}`)).rejects.toMatchObject(
      refused("This session has been signed out"),
    );
  });

  it("does not remember a token past its expiry", async () => {
    const token = await accessToken(randomUUID(), 2);
    expect(await verifier.verify(`Bearer ${token}`)).not.toBeNull();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 3_000);
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject(
      refused("Invalid or expired access token"),
    );
  });

  it("answers only the exact token it verified from memory", async () => {
    const token = await accessToken(randomUUID());
    await verifier.verify(`Bearer ${token}`);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as object;
    const someoneElse = Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString(
      "base64url",
    );
    await expect(
      verifier.verify(`Bearer ${header}.${someoneElse}.${signature}`),
    ).rejects.toMatchObject(refused("Invalid or expired access token"));
  });
});
