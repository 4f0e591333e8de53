// The production path: `pnpm build`, then services started with plain `node` from `dist/` (no
// tsx), as the images run them. Node 20 cannot load a `.ts` file, so a workspace import that
// still resolved to TypeScript sources would stop the process at start.
import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ApiClient } from "@pulse/testkit/api-client";
import { repoRoot, startCompiledService } from "@pulse/testkit/compiled-service";
import { stopServiceProcesses, type ServiceProcess } from "@pulse/testkit/service-process";
import { uniqueEmail } from "@pulse/testkit/fixtures";

const shared = {
  NODE_ENV: "production",
  LOG_LEVEL: "info",
  HOST: "127.0.0.1",
  PORT: "0",
  METRICS_PORT: "0",
  REDIS_URL: inject("redisUrl"),
  REDIS_PREFIX: `${inject("redisPrefix")}compiled:`,
  GATEWAY_SECRET: randomBytes(32).toString("hex"),
};

let identity: ServiceProcess | undefined;
let gateway: ServiceProcess | undefined;

/** Building and two cold starts take a minute or more on a busy 2-core machine. */
const SETUP_TIMEOUT_MS = 240_000;

beforeAll(async () => {
  await promisify(execFile)("pnpm", ["build"], { cwd: repoRoot });
  identity = await startCompiledService("subgraphs/identity/dist/main.js", {
    ...shared,
    DATABASE_URL: inject("databaseUrl"),
    JWT_PRIVATE_KEY: generateKeyPairSync("ed25519")
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString(),
  });
  gateway = await startCompiledService("gateway/dist/main.js", {
    ...shared,
    JWKS_URL: `${identity.url}/.well-known/jwks.json`,
    SUBGRAPH_IDENTITY_URL: `${identity.url}/graphql`,
  });
}, SETUP_TIMEOUT_MS);

afterAll(stopServiceProcesses);

describe("compiled services", () => {
  it("answer /ready", async () => {
    for (const service of [identity!, gateway!]) {
      await expect
        .poll(async () => (await fetch(`${service.url}/ready`)).status, { timeout: 30_000 })
        .toBe(200);
    }
  });

  it("serve a federated operation: register, then ask who I am with the new token", async () => {
    const anonymous = new ApiClient(`${gateway!.url}/graphql`);
    const email = uniqueEmail("compiled");
    const registered = await anonymous.op("Register", {
      input: { email, password: "Compiled!2026" },
    });
    expect(registered.errors).toBeUndefined();
    const { accessToken, user } = registered.data!.register;
    const me = await anonymous.withToken(accessToken).query("{ me { id email } }");
    expect(me).toMatchObject({ data: { me: { id: user.id, email } } });
  });

  it("shut down gracefully on SIGTERM, with exit code 0", async () => {
    expect(await gateway!.stop()).toBe(0);
    expect(await identity!.stop()).toBe(0);
    for (const service of [gateway!, identity!]) {
      expect(service.output.join("\n")).toContain('"msg":"shutting down"');
    }
  });
});
