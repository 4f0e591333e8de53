import { streamKey } from "@pulse/platform/subgraph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import { mailedToken, PASSWORD, registerUser, uniqueEmail } from "@pulse/testkit/fixtures";
import { startStack, type Stack } from "@pulse/testkit/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function errorOf(response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) {
  expect(response.errors, "expected an error").toHaveLength(1);
  return response.errors![0]!.extensions!;
}

describe("Register", () => {
  it("creates an account and returns a session", async () => {
    const email = uniqueEmail("Reg");
    const response = await stack.client().op("Register", { input: { email, password: PASSWORD } });
    expect(response.errors).toBeUndefined();
    const session = response.data!.register;
    expect(session).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      accessTokenExpiresAt: expect.stringMatching(ISO_INSTANT),
      refreshToken: expect.any(String),
      user: {
        id: expect.any(String),
        email: email.toLowerCase(),
        role: "USER",
        emailVerified: false,
        createdAt: expect.stringMatching(ISO_INSTANT),
      },
    });
    const lifetimeMs = Date.parse(session.accessTokenExpiresAt) - Date.now();
    expect(lifetimeMs).toBeGreaterThan(14 * 60_000);
    expect(lifetimeMs).toBeLessThanOrEqual(15 * 60_000);
  });

  it("stores the refresh token hashed and the password as argon2id", async () => {
    const user = await registerUser(stack);
    const account = await stack.prisma.account.findUniqueOrThrow({ where: { id: user.id } });
    expect(account.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    const params = account.passwordHash.split("$")[3]!.split(",").sort();
    expect(params).toEqual(["m=19456", "p=1", "t=2"]);
    const tokens = await stack.prisma.refreshToken.findMany({
      where: { session: { accountId: user.id } },
    });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.tokenHash).not.toContain(user.refreshToken);
    expect(tokens[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["not-an-email", PASSWORD, "input.email"],
    [uniqueEmail(), "short1!", "input.password"],
    [uniqueEmail(), "nouppercase1!", "input.password"],
    [uniqueEmail(), "NoSpecialChar1", "input.password"],
  ])("rejects %s / %s with BAD_USER_INPUT on %s", async (email, password, field) => {
    const response = await stack.client().op("Register", { input: { email, password } });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(response.data).toBeNull();
  });

  it("refuses an email that is taken, whatever its case, with CONFLICT", async () => {
    const user = await registerUser(stack);
    const response = await stack
      .client()
      .op("Register", { input: { email: user.email.toUpperCase(), password: PASSWORD } });
    expect(errorOf(response)).toMatchObject({ code: "CONFLICT", field: "input.email" });
    expect(await stack.prisma.account.count({ where: { email: user.email } })).toBe(1);
  });
});

describe("Login and Viewer", () => {
  it("signs in with the right password, in any email case", async () => {
    const user = await registerUser(stack);
    const response = await stack
      .client()
      .op("Login", { input: { email: user.email.toUpperCase(), password: PASSWORD } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.login.user).toMatchObject({ id: user.id, email: user.email });
    const me = await stack.client(response.data!.login.accessToken).op("Viewer");
    expect(me.data).toEqual({
      me: {
        id: user.id,
        email: user.email,
        role: "USER",
        emailVerified: false,
        createdAt: expect.any(String),
      },
    });
  });

  it("answers a wrong password and an unknown email alike, with UNAUTHENTICATED", async () => {
    const user = await registerUser(stack);
    const wrong = await stack
      .client()
      .op("Login", { input: { email: user.email, password: "Wr0ng!pass" } });
    const unknown = await stack
      .client()
      .op("Login", { input: { email: uniqueEmail(), password: PASSWORD } });
    expect(errorOf(wrong).code).toBe("UNAUTHENTICATED");
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
    expect(errorOf(unknown).code).toBe("UNAUTHENTICATED");
  });

  it("gives me = null without a token", async () => {
    const response = await stack.client().op("Viewer");
    expect(response).toMatchObject({ status: 200, data: { me: null } });
    expect(response.errors).toBeUndefined();
  });
});

describe("user(id:)", () => {
  const query = `query User($id: ID!) { user(id: $id) { id email role emailVerified } }`;

  it("shows another person without their private email", async () => {
    const [alice, bob] = await Promise.all([registerUser(stack), registerUser(stack)]);
    const asAlice = await alice.client.query(query, { id: bob.id });
    expect(asAlice.data).toEqual({
      user: { id: bob.id, email: null, role: "USER", emailVerified: false },
    });
    const asBob = await bob.client.query(query, { id: bob.id });
    expect(asBob.data!.user.email).toBe(bob.email);
  });

  it("is null for an unknown id and requires signing in", async () => {
    const user = await registerUser(stack);
    expect(
      (await user.client.query(query, { id: "00000000-0000-4000-8000-000000000000" })).data,
    ).toEqual({ user: null });
    expect((await user.client.query(query, { id: "not-a-uuid" })).data).toEqual({ user: null });
    expect(errorOf(await stack.client().query(query, { id: user.id })).code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("loads many people with one SQL statement (batched)", async () => {
    const people = await Promise.all([1, 2, 3, 4, 5].map(() => registerUser(stack)));
    const aliases = people
      .map((person, i) => `u${i}: user(id: "${person.id}") { id role }`)
      .join("\n");
    const one = `{ u0: user(id: "${people[0]!.id}") { id role } }`;
    // The fewest statements over three runs: identity's outbox relay, publishing the
    // registrations above meanwhile, adds its own to whichever run it lands in.
    const statementsFor = async (query: string) => {
      const counts: number[] = [];
      for (let run = 0; run < 3; run += 1) {
        stack.statements.identity!.reset();
        const response = await people[0]!.client.query(query);
        expect(response.errors).toBeUndefined();
        counts.push(stack.statements.identity!.count);
      }
      return Math.min(...counts);
    };
    expect(await statementsFor(`{ ${aliases} }`)).toBe(await statementsFor(one));
  });
});

describe("RefreshSession", () => {
  it("rotates the refresh token and issues a new access token", async () => {
    const user = await registerUser(stack);
    const response = await stack.client().op("RefreshSession", { refreshToken: user.refreshToken });
    expect(response.errors).toBeUndefined();
    const next = response.data!.refreshSession;
    expect(next.refreshToken).not.toBe(user.refreshToken);
    expect(next.user.id).toBe(user.id);
    expect((await stack.client(next.accessToken).op("Viewer")).data!.me.id).toBe(user.id);
    const again = await stack.client().op("RefreshSession", { refreshToken: next.refreshToken });
    expect(again.errors).toBeUndefined();
  });

  it("revokes the whole session family when a rotated token is reused", async () => {
    const user = await registerUser(stack);
    const rotated = await stack.client().op("RefreshSession", { refreshToken: user.refreshToken });
    const latest = rotated.data!.refreshSession.refreshToken as string;
    const replay = await stack.client().op("RefreshSession", { refreshToken: user.refreshToken });
    expect(errorOf(replay).code).toBe("UNAUTHENTICATED");
    const afterReuse = await stack.client().op("RefreshSession", { refreshToken: latest });
    expect(errorOf(afterReuse).code).toBe("UNAUTHENTICATED");
    const session = await stack.prisma.session.findFirstOrThrow({ where: { accountId: user.id } });
    expect(session.revokeReason).toBe("REUSE_DETECTED");
    const latestAccess = rotated.data!.refreshSession.accessToken as string;
    expect(errorOf(await stack.client(latestAccess).op("Viewer")).code).toBe("UNAUTHENTICATED");
  });

  it("lets only one of two concurrent refreshes with the same token win", async () => {
    const user = await registerUser(stack);
    const results = await Promise.all(
      [1, 2].map(() => stack.client().op("RefreshSession", { refreshToken: user.refreshToken })),
    );
    const winners = results.filter((result) => !result.errors);
    expect(winners.length).toBeLessThanOrEqual(1);
    expect(
      results.some((result) => result.errors?.[0]?.extensions?.code === "UNAUTHENTICATED"),
    ).toBe(true);
  });

  it("refuses an unknown token", async () => {
    const response = await stack.client().op("RefreshSession", { refreshToken: "made-up" });
    expect(errorOf(response).code).toBe("UNAUTHENTICATED");
  });
});

describe("Logout and LogoutEverywhere", () => {
  it("ends the session of a refresh token, idempotently, access token included", async () => {
    const user = await registerUser(stack);
    expect((await stack.client().op("Logout", { refreshToken: user.refreshToken })).data).toEqual({
      logout: true,
    });
    expect((await stack.client().op("Logout", { refreshToken: user.refreshToken })).data).toEqual({
      logout: true,
    });
    const refresh = await stack.client().op("RefreshSession", { refreshToken: user.refreshToken });
    expect(errorOf(refresh).code).toBe("UNAUTHENTICATED");
    const viewer = await user.client.op("Viewer");
    expect(viewer.status).toBe(401);
    expect(errorOf(viewer).code).toBe("UNAUTHENTICATED");
  });

  it("ends every session of the viewer", async () => {
    const user = await registerUser(stack);
    const second = await stack
      .client()
      .op("Login", { input: { email: user.email, password: PASSWORD } });
    const response = await user.client.op("LogoutEverywhere");
    expect(response.data).toEqual({ logoutEverywhere: true });
    for (const token of [user.refreshToken, second.data!.login.refreshToken]) {
      expect(errorOf(await stack.client().op("RefreshSession", { refreshToken: token })).code).toBe(
        "UNAUTHENTICATED",
      );
    }
    for (const token of [user.accessToken, second.data!.login.accessToken]) {
      expect(errorOf(await stack.client(token).op("Viewer")).code).toBe("UNAUTHENTICATED");
    }
  });

  it("keeps other people signed in", async () => {
    const [leaving, staying] = await Promise.all([registerUser(stack), registerUser(stack)]);
    await leaving.client.op("LogoutEverywhere");
    expect((await staying.client.op("Viewer")).data!.me.id).toBe(staying.id);
  });

  it("requires signing in for LogoutEverywhere", async () => {
    expect(errorOf(await stack.client().op("LogoutEverywhere")).code).toBe("UNAUTHENTICATED");
  });
});

describe("ChangePassword", () => {
  it("checks the current password and the new one's strength", async () => {
    const user = await registerUser(stack);
    const wrong = await user.client.op("ChangePassword", {
      input: { currentPassword: "Wr0ng!pass", newPassword: "N3w!Password" },
    });
    expect(errorOf(wrong)).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.currentPassword",
    });
    const weak = await user.client.op("ChangePassword", {
      input: { currentPassword: PASSWORD, newPassword: "weak" },
    });
    expect(errorOf(weak)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.newPassword" });
  });

  it("changes the password and signs out the other sessions only", async () => {
    const user = await registerUser(stack);
    const other = await stack
      .client()
      .op("Login", { input: { email: user.email, password: PASSWORD } });
    const changed = await user.client.op("ChangePassword", {
      input: { currentPassword: PASSWORD, newPassword: "N3w!Password" },
    });
    expect(changed.data).toEqual({ changePassword: true });
    const otherRefresh = await stack
      .client()
      .op("RefreshSession", { refreshToken: other.data!.login.refreshToken });
    expect(errorOf(otherRefresh).code).toBe("UNAUTHENTICATED");
    const ownRefresh = await stack
      .client()
      .op("RefreshSession", { refreshToken: user.refreshToken });
    expect(ownRefresh.errors).toBeUndefined();
    const oldLogin = await stack
      .client()
      .op("Login", { input: { email: user.email, password: PASSWORD } });
    expect(errorOf(oldLogin).code).toBe("UNAUTHENTICATED");
    const newLogin = await stack
      .client()
      .op("Login", { input: { email: user.email, password: "N3w!Password" } });
    expect(newLogin.errors).toBeUndefined();
  });

  it("requires signing in", async () => {
    const response = await stack.client().op("ChangePassword", {
      input: { currentPassword: PASSWORD, newPassword: "N3w!Password" },
    });
    expect(errorOf(response).code).toBe("UNAUTHENTICATED");
  });
});

describe("RequestPasswordReset and ResetPassword", () => {
  it("answers true for an unknown email and mails nothing", async () => {
    const email = uniqueEmail();
    const response = await stack.client().op("RequestPasswordReset", { email });
    expect(response.data).toEqual({ requestPasswordReset: true });
    expect(await stack.prisma.mailMessage.count({ where: { recipient: email } })).toBe(0);
  });

  it("resets the password with the mailed token, once, and signs out everywhere", async () => {
    const user = await registerUser(stack);
    const requested = await stack.client().op("RequestPasswordReset", { email: user.email });
    expect(requested.data).toEqual({ requestPasswordReset: true });
    const token = await mailedToken(stack, user.email, "Reset your password");

    const weak = await stack
      .client()
      .op("ResetPassword", { input: { token, newPassword: "weak" } });
    expect(errorOf(weak)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.newPassword" });

    const reset = await stack
      .client()
      .op("ResetPassword", { input: { token, newPassword: "R3set!Pass" } });
    expect(reset.data).toEqual({ resetPassword: true });
    const reused = await stack
      .client()
      .op("ResetPassword", { input: { token, newPassword: "An0ther!Pass" } });
    expect(errorOf(reused)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.token" });

    const refresh = await stack.client().op("RefreshSession", { refreshToken: user.refreshToken });
    expect(errorOf(refresh).code).toBe("UNAUTHENTICATED");
    const login = await stack
      .client()
      .op("Login", { input: { email: user.email, password: "R3set!Pass" } });
    expect(login.errors).toBeUndefined();
  });

  it("refuses a made-up token", async () => {
    const response = await stack
      .client()
      .op("ResetPassword", { input: { token: "nope", newPassword: "R3set!Pass" } });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field: "input.token" });
  });
});

describe("VerifyEmail", () => {
  it("confirms the address with the token mailed at registration, once", async () => {
    const user = await registerUser(stack);
    const token = await mailedToken(stack, user.email, "Confirm your email");
    const response = await user.client.op("VerifyEmail", { token });
    expect(response.data).toEqual({ verifyEmail: { id: user.id, emailVerified: true } });
    expect((await user.client.op("Viewer")).data!.me.emailVerified).toBe(true);
    const again = await user.client.op("VerifyEmail", { token });
    expect(errorOf(again)).toMatchObject({ code: "BAD_USER_INPUT", field: "token" });
  });
});

describe("DeleteAccount", () => {
  it("checks the password", async () => {
    const user = await registerUser(stack);
    const response = await user.client.op("DeleteAccount", { password: "Wr0ng!pass" });
    expect(errorOf(response)).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
    expect(await stack.prisma.account.count({ where: { id: user.id } })).toBe(1);
  });

  it("deletes the account and publishes user.deleted with it", async () => {
    const user = await registerUser(stack);
    const response = await user.client.op("DeleteAccount", { password: PASSWORD });
    expect(response.data).toEqual({ deleteAccount: true });
    expect(await stack.prisma.account.count({ where: { id: user.id } })).toBe(0);
    expect(await stack.prisma.session.count({ where: { accountId: user.id } })).toBe(0);
    const events = await stack.prisma.identityOutboxEvent.findMany({
      where: { type: "user.deleted", payload: { equals: { userId: user.id } } },
    });
    expect(events).toHaveLength(1);
    // The relay publishes it to the stream other subgraphs consume.
    await eventually(async () => {
      const entries = await stack.redis.xrange(
        streamKey(stack.redisPrefix, "user.deleted"),
        "-",
        "+",
      );
      const published = entries.map(([, fields]) => JSON.parse(fields[1]!));
      expect(published).toContainEqual(
        expect.objectContaining({
          id: events[0]!.eventId,
          source: "identity",
          payload: { userId: user.id },
        }),
      );
    });
    expect(errorOf(await user.client.op("Viewer")).code).toBe("UNAUTHENTICATED");
    const login = await stack
      .client()
      .op("Login", { input: { email: user.email, password: PASSWORD } });
    expect(errorOf(login).code).toBe("UNAUTHENTICATED");
  });

  it("requires signing in", async () => {
    expect(errorOf(await stack.client().op("DeleteAccount", { password: PASSWORD })).code).toBe(
      "UNAUTHENTICATED",
    );
  });
});

describe("login rate limit", () => {
  it("allows 10 attempts a minute per email, then answers RATE_LIMITED", async () => {
    const user = await registerUser(stack);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      // A new client each time: a new address, so only the per-email limit applies.
      const response = await stack
        .client()
        .op("Login", { input: { email: user.email, password: "Wr0ng!pass" } });
      expect(errorOf(response).code).toBe("UNAUTHENTICATED");
    }
    const limited = await stack
      .client()
      .op("Login", { input: { email: user.email, password: PASSWORD } });
    const extensions = errorOf(limited);
    expect(extensions.code).toBe("RATE_LIMITED");
    expect(extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(extensions.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("allows 10 attempts a minute per client address", async () => {
    const client = stack.client();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const response = await client.op("Login", {
        input: { email: uniqueEmail(), password: PASSWORD },
      });
      expect(errorOf(response).code).toBe("UNAUTHENTICATED");
    }
    const limited = await client.op("Login", {
      input: { email: uniqueEmail(), password: PASSWORD },
    });
    expect(errorOf(limited).code).toBe("RATE_LIMITED");
  });
});

describe("request ids", () => {
  it("flow from the gateway into the subgraph's log lines", async () => {
    const email = uniqueEmail("traced");
    const requestId = `trace-${email}`.replace(/[@.]/g, "-");
    const response = await stack
      .client()
      .op("Register", { input: { email, password: PASSWORD } }, { "x-request-id": requestId });
    expect(response.errors).toBeUndefined();
    const mailLog = stack.logs.identity!.find(
      (line) => line.msg === "mail recorded" && line.to === email,
    );
    expect(mailLog).toMatchObject({ service: "identity", requestId });
  });

  it("echoes the caller's request id, or makes one", async () => {
    const echoed = await stack.client().op("Viewer", {}, { "x-request-id": "trace-abc-123" });
    expect(echoed.headers.get("x-request-id")).toBe("trace-abc-123");
    const generated = await stack.client().op("Viewer");
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
