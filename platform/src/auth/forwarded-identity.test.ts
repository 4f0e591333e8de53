import { randomUUID } from "node:crypto";
import { createSigner } from "fast-jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ForwardedIdentityVerifier,
  signForwardedIdentity,
  type ForwardedIdentity,
} from "./forwarded-identity.ts";

const secret = "s".repeat(32);
const identity: ForwardedIdentity = {
  viewer: { id: randomUUID(), role: "USER", sessionId: randomUUID() },
  clientIp: "10.0.0.1",
  requestId: randomUUID(),
};
const refused = { extensions: { code: "UNAUTHENTICATED" } };

afterEach(() => vi.useRealTimers());

describe("ForwardedIdentityVerifier", () => {
  it("accepts the gateway's statement, again and again while it holds", async () => {
    const verifier = new ForwardedIdentityVerifier(secret);
    const token = await signForwardedIdentity(identity, secret);
    expect(await verifier.verify(token)).toEqual(identity);
    expect(await verifier.verify(token)).toEqual(identity);
  });

  it("remembers a subscription's statement, not a request's", async () => {
    const verifier = new ForwardedIdentityVerifier(secret);
    await verifier.verify(await signForwardedIdentity(identity, secret));
    expect(verifier.remembered).toBe(0);
    const subscription = await signForwardedIdentity(
      identity,
      secret,
      new Date(Date.now() + 15 * 60_000),
    );
    expect(await verifier.verify(subscription)).toEqual(identity);
    expect(verifier.remembered).toBe(1);
    expect(await verifier.verify(subscription)).toBe(await verifier.verify(subscription));
  });

  it("refuses a missing statement, one signed with another secret, and an altered one", async () => {
    const verifier = new ForwardedIdentityVerifier(secret);
    await expect(verifier.verify(undefined)).rejects.toMatchObject(refused);
    const forged = await signForwardedIdentity(identity, "f".repeat(32));
    await expect(verifier.verify(forged)).rejects.toMatchObject(refused);
    // A remembered statement is no key to a similar one.
    const genuine = await signForwardedIdentity(identity, secret);
    await verifier.verify(genuine);
    const [header, payload] = genuine.split(".");
    const otherViewer = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload!, "base64url").toString()),
        sub: randomUUID(),
      }),
    ).toString("base64url");
    const altered = [header, otherViewer, genuine.split(".")[2]].join(".");
    await expect(verifier.verify(altered)).rejects.toMatchObject(refused);
  });

  it("stops accepting a remembered statement once it expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const verifier = new ForwardedIdentityVerifier(secret);
    const token = await signForwardedIdentity(identity, secret, new Date(Date.now() + 120_000));
    expect(await verifier.verify(token)).toEqual(identity);
    expect(verifier.remembered).toBe(1);
    vi.setSystemTime(Date.now() + 121_000);
    await expect(verifier.verify(token)).rejects.toMatchObject(refused);
  });

  it("refuses an unsigned statement, and signed ones from another issuer or for another audience", async () => {
    const verifier = new ForwardedIdentityVerifier(secret);
    const [, payload] = (await signForwardedIdentity(identity, secret)).split(".");
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    await expect(verifier.verify(unsigned)).rejects.toMatchObject(refused);
    const claims = { sub: identity.viewer!.id, exp: Math.floor(Date.now() / 1000) + 60 };
    for (const [iss, aud] of [
      ["someone-else", "pulse-subgraphs"],
      ["pulse-gateway", "someone-else"],
    ]) {
      const token = createSigner({ key: secret, algorithm: "HS256", iss, aud })(claims);
      await expect(verifier.verify(token)).rejects.toMatchObject(refused);
    }
    const genuine = createSigner({
      key: secret,
      algorithm: "HS256",
      iss: "pulse-gateway",
      aud: "pulse-subgraphs",
    })(claims);
    expect((await verifier.verify(genuine)).clientIp).toBe("unknown");
  });
});
