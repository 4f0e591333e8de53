import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { composeServices } from "@apollo/composition";
import { buildIdentitySchema } from "@pulse/identity";
import { printSubgraphSchema } from "@pulse/platform/subgraph";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "@pulse/testkit/eventually";
import { supergraphPath } from "../../scripts/lib/compose-supergraph.ts";
import { ApiClient } from "@pulse/testkit/api-client";
import { registerUser } from "@pulse/testkit/fixtures";
import { startGateway, startStack, withGateway, type Stack } from "@pulse/testkit/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const queryFieldNames = `{ __type(name: "Query") { fields { name } } }`;

/** A production gateway; its metrics on any free port of their own. */
const PRODUCTION = { NODE_ENV: "production", METRICS_PORT: "0" };

const apiHeaders = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
};

describe("operational endpoints", () => {
  it.each(["gateway", "identity"])("%s answers /health, /ready and /metrics", async (service) => {
    const base = service === "gateway" ? stack.gatewayUrl : stack.urls.identity!;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    await stack.client().op("Viewer");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain("graphql_operation_duration_seconds_bucket");
    expect(metrics).toContain(`service="${service}"`);
  });
});

describe("a subgraph with METRICS_PORT", () => {
  it("serves /metrics on that port alone, out of the gateway's reach", async () => {
    const replica = await stack.startReplica("identity", { METRICS_PORT: "0" });
    try {
      expect((await fetch(`${replica.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${replica.url}/ready`)).status).toBe(200);
      const line = replica.logs.find((entry) => entry.msg === "metrics listening");
      const metrics = await fetch(line!.url as string);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('service="identity"');
    } finally {
      await replica.close();
    }
  });
});

describe("development mode", () => {
  it("serves GraphiQL on /graphql and Apollo Sandbox on /sandbox, from its own files", async () => {
    const graphiql = await fetch(`${stack.gatewayUrl}/graphql`, {
      headers: { accept: "text/html" },
    });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain('<script defer src="/explorer/graphiql.js">');
    const sandbox = await fetch(`${stack.gatewayUrl}/sandbox`);
    expect(sandbox.status).toBe(200);
    const html = await sandbox.text();
    expect(html).toContain('<script defer src="/explorer/sandbox.js">');
    expect(html).not.toContain("cdn.apollographql.com");
    const script = await fetch(`${stack.gatewayUrl}/explorer/sandbox.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("sandbox.embed.apollographql.com");
  });

  it("gives each explorer page the content policy it needs, and no more", async () => {
    const graphiql = await fetch(`${stack.gatewayUrl}/graphql`, {
      headers: { accept: "text/html" },
    });
    expect(graphiql.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; connect-src 'self'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'; worker-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; font-src data:; img-src 'self' data:",
    );
    const sandbox = await fetch(`${stack.gatewayUrl}/sandbox`);
    expect(sandbox.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; connect-src 'self'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'; " +
        "frame-src https://sandbox.embed.apollographql.com; style-src 'self' 'unsafe-inline'",
    );
  });

  it("answers introspection", async () => {
    const response = await stack.client().query(queryFieldNames);
    expect(response.data!.__type.fields.map((f: { name: string }) => f.name)).toContain("me");
  });
});

describe("production mode", () => {
  it("refuses introspection and serves no landing page", async () => {
    await withGateway(stack, PRODUCTION, async (gateway) => {
      const client = new ApiClient(`${gateway.url}/graphql`);
      const response = await client.query(queryFieldNames);
      expect(response.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
      expect(response.errors![0]!.message).toMatch(/introspection/i);
      expect((await client.op("Viewer")).data).toEqual({ me: null });
      const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: "text/html" } });
      expect(await page.text()).not.toContain("<script");
      for (const path of ["/sandbox", "/explorer/graphiql.js", "/explorer/sandbox.js"]) {
        expect((await fetch(`${gateway.url}${path}`)).status).toBe(404);
      }
    });
  });

  it("suggests no field names, and serves /metrics on its own port only", async () => {
    await withGateway(stack, PRODUCTION, async (gateway) => {
      const response = await new ApiClient(`${gateway.url}/graphql`).query("{ mee { id } }");
      expect(response.errors![0]!.message).toBe('Cannot query field "mee" on type "Query".');
      expect((await fetch(`${gateway.url}/metrics`)).status).toBe(404);
      const line = gateway.logs.find((entry) => entry.msg === "metrics listening");
      const metrics = await fetch(line!.url as string);
      expect(await metrics.text()).toContain("graphql_operation_duration_seconds");
    });
  });

  it("sends the security headers, HSTS included", async () => {
    await withGateway(stack, PRODUCTION, async (gateway) => {
      const response = await fetch(`${gateway.url}/graphql?query=%7Bme%7Bid%7D%7D`);
      expect(Object.fromEntries(response.headers)).toMatchObject({
        ...apiHeaders,
        "strict-transport-security": "max-age=31536000; includeSubDomains",
      });
    });
  });
});

describe("responses", () => {
  it("carry security headers, the strict content policy included, in development", async () => {
    const response = await fetch(`${stack.gatewayUrl}/graphql?query=%7Bme%7Bid%7D%7D`);
    expect(Object.fromEntries(response.headers)).toMatchObject(apiHeaders);
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("do not name the subgraph an error came from", async () => {
    const user = await registerUser(stack);
    const response = await user.client.op("SendMessage", {
      input: { conversationId: randomUUID(), body: "hi", clientMessageId: randomUUID() },
    });
    expect(response.errors![0]!.extensions).toEqual({ code: "NOT_FOUND" });
  });
});

describe("supergraph reload", () => {
  it("picks up a new supergraph written to its file, without a restart", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "pulse-supergraph-"));
    const file = path.join(dir, "supergraph.graphql");
    await copyFile(supergraphPath, file);
    const gateway = await startGateway(stack, { SUPERGRAPH_PATH: file, SUPERGRAPH_WATCH: "true" });
    try {
      const client = new ApiClient(`${gateway.url}/graphql`);
      const fields = async () =>
        (await client.query(queryFieldNames)).data!.__type.fields.map(
          (f: { name: string }) => f.name,
        );
      expect(await fields()).not.toContain("ping");

      await writeFile(file, await supergraphWithExtraSubgraph());
      await eventually(async () => expect(await fields()).toContain("ping"), { timeout: 10_000 });
      // Operations on the unchanged part keep working across the reload.
      expect((await client.op("Viewer")).data).toEqual({ me: null });
    } finally {
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function supergraphWithExtraSubgraph(): Promise<string> {
  const result = composeServices([
    {
      name: "identity",
      url: "http://localhost:4001/graphql",
      typeDefs: parse(printSubgraphSchema(await buildIdentitySchema())),
    },
    {
      name: "extra",
      url: "http://localhost:4999/graphql",
      typeDefs: parse(`type Query { "Answers pong." ping: String }`),
    },
  ]);
  if (!result.supergraphSdl) throw new Error("composition failed");
  return result.supergraphSdl;
}

describe("process lifecycle", () => {
  const repo = path.resolve(import.meta.dirname, "../..");
  const identityMain = path.join(repo, "subgraphs/identity/src/main.ts");

  it("stops a process with one line naming each bad variable", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", identityMain], {
      cwd: repo,
      encoding: "utf8",
      env: { PATH: process.env.PATH, DATABASE_URL: "mysql://nope", PORT: "99999" },
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: /);
    for (const variable of [
      "PORT",
      "DATABASE_URL",
      "REDIS_URL",
      "GATEWAY_SECRET",
      "JWT_PRIVATE_KEY",
    ]) {
      expect(lines[0]).toContain(`${variable}: `);
    }
  });

  it("shuts down on SIGTERM, with exit code 0", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", identityMain], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: inject("databaseUrl"),
        REDIS_URL: inject("redisUrl"),
        REDIS_PREFIX: `${inject("redisPrefix")}lifecycle:`,
        GATEWAY_SECRET: randomBytes(32).toString("hex"),
        JWT_PRIVATE_KEY: generateKeyPairSync("ed25519")
          .privateKey.export({ type: "pkcs8", format: "pem" })
          .toString(),
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await eventually(() => expect(output).toContain("subgraph listening"), { timeout: 20_000 });
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output).toContain('"msg":"shutting down"');
    expect(output).not.toContain("shutdown took too long");
  });
});

describe("session revocation check", () => {
  it("lets valid tokens through when Redis cannot answer (expiry stays the limit)", async () => {
    const user = await registerUser(stack);
    await withGateway(stack, { REDIS_URL: "redis://127.0.0.1:1" }, async (gateway) => {
      const client = new ApiClient(`${gateway.url}/graphql`, user.accessToken);
      expect((await client.op("Viewer")).data!.me.id).toBe(user.id);
      const ready = await fetch(`${gateway.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { redis: "unavailable" } });
    });
  });
});

describe("transport", () => {
  it("answers queries sent with GET, as the contract allows", async () => {
    const query = encodeURIComponent("query Viewer { me { id } }");
    const response = await fetch(`${stack.gatewayUrl}/graphql?query=${query}`, {
      headers: { accept: "application/json" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { me: null } });
  });

  it("refuses mutations sent with GET", async () => {
    const query = encodeURIComponent('mutation { requestPasswordReset(email: "a@b.c") }');
    const response = await fetch(`${stack.gatewayUrl}/graphql?query=${query}`, {
      headers: { accept: "application/json" },
    });
    expect(response.status).toBe(405);
  });
});
