import { createPrivateKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import { signForwardedIdentity } from "@pulse/platform/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { untilListening } from "@pulse/testkit/live";
import { registerUser, type RegisteredUser } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { WsTestClient } from "@pulse/testkit/ws-client";

let stack: Stack;
let user: RegisteredUser;
beforeAll(async () => {
  stack = await startStack();
  user = await registerUser(stack);
});
afterAll(() => stack?.close());

/** Claims exactly as identity issues them, for `user`. */
function genuineClaims(): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: user.id,
    role: "USER",
    sid: randomUUID(),
    iss: "pulse-identity",
    aud: "pulse-api",
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
  };
}

function sign(claims: JWTPayload, key = createPrivateKey(stack.signingKeyPem), header = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", ...header })
    .sign(key);
}

async function viewerWith(token: string) {
  return stack.client(token).op("Viewer");
}

const readJson = (response: Response): Promise<any> => response.json();

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("access tokens at the gateway", () => {
  it("accepts a token signed with identity's key (the control for every case below)", async () => {
    const response = await viewerWith(await sign(genuineClaims()));
    expect(response.errors).toBeUndefined();
    expect(response.data!.me.id).toBe(user.id);
  });

  it("accepts the token type however RFC 7515 lets it be spelled (application/AT+JWT)", async () => {
    const token = await sign(genuineClaims(), createPrivateKey(stack.signingKeyPem), {
      typ: "application/AT+JWT",
    });
    const response = await viewerWith(token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.me.id).toBe(user.id);
  });

  const rejected: [string, () => Promise<string>][] = [
    [
      "alg none",
      async () => `${base64url({ alg: "none", typ: "at+jwt" })}.${base64url(genuineClaims())}.`,
    ],
    ["another Ed25519 key", () => sign(genuineClaims(), generateKeyPairSync("ed25519").privateKey)],
    [
      "HS256 with the public key as secret (algorithm confusion)",
      async () => {
        const publicJwk = (
          await readJson(await fetch(`${stack.urls.identity!}/.well-known/jwks.json`))
        ).keys[0];
        return new SignJWT(genuineClaims())
          .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
          .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
      },
    ],
    [
      "expired",
      () =>
        sign({
          ...genuineClaims(),
          iat: Math.floor(Date.now() / 1000) - 3600,
          exp: Math.floor(Date.now() / 1000) - 60,
        }),
    ],
    [
      "tampered claims (role raised after signing)",
      async () => {
        const [header, , signature] = (await sign(genuineClaims())).split(".");
        return `${header}.${base64url({ ...genuineClaims(), role: "ADMIN" })}.${signature}`;
      },
    ],
    [
      "another type of token (typ JWT)",
      () => sign(genuineClaims(), createPrivateKey(stack.signingKeyPem), { typ: "JWT" }),
    ],
    [
      "not valid yet (nbf an hour ahead)",
      () => sign({ ...genuineClaims(), nbf: Math.floor(Date.now() / 1000) + 3600 }),
    ],
    ["another audience", () => sign({ ...genuineClaims(), aud: "someone-else" })],
    ["another issuer", () => sign({ ...genuineClaims(), iss: "evil" })],
    ["no session claim", () => sign({ ...genuineClaims(), sid: undefined })],
    ["garbage", async () => "not.a.jwt"],
  ];

  it.each(rejected)("refuses a token: %s, with UNAUTHENTICATED and 401", async (_name, forge) => {
    const response = await viewerWith(await forge());
    expect(response.status).toBe(401);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({ extensions: { code: "UNAUTHENTICATED" } }),
    ]);
  });

  it("refuses an Authorization header that is not a bearer token", async () => {
    const response = await stack
      .client()
      .op("Viewer", {}, { authorization: `Basic ${user.accessToken}` });
    expect(response.status).toBe(401);
    expect(response.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
  });

  it("publishes only public keys in the JWKS", async () => {
    const jwks = await readJson(await fetch(`${stack.urls.identity!}/.well-known/jwks.json`));
    expect(jwks.keys).toEqual([
      {
        kty: "OKP",
        crv: "Ed25519",
        x: expect.any(String),
        kid: expect.any(String),
        alg: "EdDSA",
        use: "sig",
      },
    ]);
  });
});

describe("subgraphs trust only the gateway", () => {
  const subgraphViewer = (headers: Record<string, string>) =>
    fetch(`${stack.urls.identity!}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: "{ me { id email } }" }),
    });

  /** An identity header for `user`, signed with `secret`. */
  const identityHeader = (secret: string, role: "USER" | "ADMIN") =>
    signForwardedIdentity(
      {
        viewer: { id: user.id, role, sessionId: randomUUID() },
        clientIp: "1.2.3.4",
        requestId: "x",
      },
      secret,
    );
  const attackerSecret = "an-attacker-guessed-this-secret-of-32-chars";

  it("refuses a request that did not come through the gateway", async () => {
    const response = await subgraphViewer({ authorization: `Bearer ${user.accessToken}` });
    expect(response.status).toBe(401);
    expect((await readJson(response)).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("refuses identity headers signed with anything but the gateway's secret", async () => {
    const forged = await identityHeader(attackerSecret, "ADMIN");
    const response = await subgraphViewer({ "x-pulse-identity": forged });
    expect(response.status).toBe(401);
    expect((await readJson(response)).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("serves a request the gateway signed (the control)", async () => {
    const genuine = await identityHeader(stack.gatewaySecret, "USER");
    const response = await subgraphViewer({ "x-pulse-identity": genuine });
    expect((await readJson(response)).data).toEqual({ me: { id: user.id, email: user.email } });
  });

  it("refuses a subscription socket that the gateway did not open (4403)", async () => {
    const forged = await identityHeader(attackerSecret, "USER");
    await expect(
      WsTestClient.open(stack.urls.discovery!, { gatewayIdentity: forged }),
    ).rejects.toMatchObject({ code: 4403 });
    await expect(WsTestClient.open(stack.urls.discovery!, {})).rejects.toMatchObject({
      code: 4403,
    });
  });

  it("refuses a subscription on the gateway's socket whose subscriber identity is forged", async () => {
    const socket = await WsTestClient.open(stack.urls.discovery!, {
      gatewayIdentity: await identityHeader(stack.gatewaySecret, "USER"),
    });
    const forged = socket.subscribe("", {}, "subscription { matchCreated { id } }", {
      subscriberIdentity: await identityHeader(attackerSecret, "ADMIN"),
    });
    expect((await forged.end()).errors?.map((error) => error.extensions?.code)).toEqual([
      "UNAUTHENTICATED",
    ]);
    // The control: the same subscription with a genuine identity is accepted and stays open.
    const genuine = socket.subscribe("", {}, "subscription { matchCreated { id } }", {
      subscriberIdentity: await identityHeader(stack.gatewaySecret, "USER"),
    });
    await untilListening(stack, "match-created", user.id);
    expect(genuine.ended).toBeNull();
    await socket.close();
  });

  it("ignores identity headers a client sends to the gateway", async () => {
    const forged = await identityHeader(attackerSecret, "ADMIN");
    const response = await stack.client().op("Viewer", {}, { "x-pulse-identity": forged });
    expect(response.data).toEqual({ me: null });
  });
});
