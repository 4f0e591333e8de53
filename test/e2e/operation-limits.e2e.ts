import { registerUser } from "@pulse/testkit/fixtures";
import { ApiClient } from "@pulse/testkit/api-client";
import { startStack, withGateway, type Stack } from "@pulse/testkit/stack";
import { WsTestClient } from "@pulse/testkit/ws-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

/** Posts a raw GraphQL request to the gateway, anonymously unless given a token. */
async function post(body: Record<string, unknown>, token?: string) {
  const response = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return { status: response.status, ...json };
}

const aliases = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(" ")} }`;
const nested = (depth: number) =>
  `{ __type(name: "Query") { ${"ofType { ".repeat(depth)} name ${"} ".repeat(depth)} } }`;

describe("client mistakes are answered 400 with BAD_USER_INPUT, never 500", () => {
  it.each([
    [
      "two operations and no operationName",
      { query: "query A { me { id } } query B { me { id } }" },
    ],
    ["an operationName the document lacks", { query: "query A { me { id } }", operationName: "B" }],
    [
      "a Float literal beyond any number",
      { query: "mutation { updateLocation(input: {latitude: 1e400, longitude: 0}) { latitude } }" },
    ],
    ["a query nested 30 deep", { query: nested(30) }],
    ["2,000 aliases", { query: aliases(2_000, "me { id }") }],
    [
      "300 aliases of a page of 100 people",
      { query: aliases(300, `searchUsers(query: "a", first: 100) { id }`) },
    ],
    ["500 aliases of a person's photos", { query: aliases(500, `user(id: "x") { id }`) }],
    ["a subscription over HTTP", { query: "subscription { matchCreated { id } }" }],
  ])("%s", async (_case, body) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it("names the field of a NUL character, anonymous or signed in", async () => {
    const reset = await post({
      query: "mutation ($email: String!) { requestPasswordReset(email: $email) }",
      variables: { email: "a\u0000@pulse.dev" },
    });
    expect(reset.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
    const user = await registerUser(stack);
    const profile = await post(
      {
        query: "mutation ($input: ProfileInput!) { upsertProfile(input: $input) { displayName } }",
        variables: {
          input: {
            displayName: "Nul\u0000",
            username: `nul_${user.id.slice(0, 8)}`,
            birthdate: "1990-01-01",
            gender: "FEMALE",
            interestedIn: ["MALE"],
          },
        },
      },
      user.accessToken,
    );
    expect(profile.status).toBe(400);
    expect(profile.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.displayName",
    });
  });
});

describe("a body over 1 MiB", () => {
  it("is answered 413 each time on one keep-alive connection, never a reset socket", async () => {
    const body = JSON.stringify({
      query: "{ me { id } }",
      variables: { x: "x".repeat(1_300_000) },
    });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await fetch(`${stack.gatewayUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([413, 413, 413, 413]);
  });
});

describe("graphql-ws subscribe frames pass the same limits", () => {
  it("refuses a subscription nested 60 deep, and keeps the socket for others", async () => {
    const user = await registerUser(stack);
    const socket = await WsTestClient.connect(stack.gatewayUrl, user.accessToken);
    const cycles = 30;
    const deep = `subscription { messageAdded { ${"conversation { lastMessage { ".repeat(cycles)} id ${"} } ".repeat(cycles)} } }`;
    const refused = socket.subscribe("Deep", {}, deep);
    expect(await refused.end()).toMatchObject({
      errors: [
        {
          message: "Query depth limit of 15 exceeded, found 62.",
          extensions: { code: "BAD_USER_INPUT" },
        },
      ],
    });
    const fine = socket.subscribe("OnMatchCreated");
    await socket.close();
    expect(fine.results).toEqual([]);
  });

  it("answers variables of the wrong type with BAD_USER_INPUT, before any subgraph", async () => {
    const user = await registerUser(stack);
    const socket = await WsTestClient.connect(stack.gatewayUrl, user.accessToken);
    const refused = socket.subscribe("OnLeaderboardRankChanged", {
      competitionId: null,
      top: 1e21,
    });
    expect(await refused.end()).toMatchObject({
      errors: [
        { extensions: { code: "BAD_USER_INPUT" } },
        { extensions: { code: "BAD_USER_INPUT" } },
      ],
    });
    await socket.close();
  });

  it("closes a socket whose frame is larger than an HTTP body may be (1009)", async () => {
    const user = await registerUser(stack);
    const socket = await WsTestClient.connect(stack.gatewayUrl, user.accessToken);
    socket.subscribe(
      "Big",
      { padding: "x".repeat(2 * 1024 * 1024) },
      "subscription { matchCreated { id } }",
    );
    expect((await socket.closed).code).toBe(1009);
  });
});

describe("trusted documents", () => {
  it("with enforce, run the contract's documents and refuse any other, on HTTP and graphql-ws", async () => {
    await withGateway(stack, { TRUSTED_DOCUMENTS: "enforce" }, async (gateway) => {
      const user = await registerUser(stack);
      const client = new ApiClient(`${gateway.url}/graphql`, user.accessToken);
      expect((await client.op("Viewer")).data).toMatchObject({ me: { id: user.id } });
      const other = await client.query("{ me { id } }");
      expect(other.status).toBe(400);
      expect(other.errors?.[0]?.extensions).toEqual({
        code: "BAD_USER_INPUT",
        reason: "UNTRUSTED_DOCUMENT",
      });

      const socket = await WsTestClient.connect(gateway.url, user.accessToken);
      const refused = socket.subscribe("Mine", {}, "subscription { matchCreated { id } }");
      expect(await refused.end()).toMatchObject({
        errors: [{ extensions: { code: "BAD_USER_INPUT", reason: "UNTRUSTED_DOCUMENT" } }],
      });
      await socket.close();
    });
  });

  it("with log, run any document and say once which were not trusted", async () => {
    await withGateway(stack, { TRUSTED_DOCUMENTS: "log" }, async (gateway) => {
      const client = new ApiClient(`${gateway.url}/graphql`);
      for (let i = 0; i < 2; i += 1) {
        expect((await client.query("{ me { id } }")).data).toEqual({ me: null });
      }
      await client.op("Viewer");
      const warnings = gateway.logs.filter(
        (line) => line.msg === "document not in the trusted documents",
      );
      expect(warnings).toHaveLength(1);
    });
  });
});
