import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createGateway, gatewayConfigSchema } from "@pulse/gateway";
import { createIdentityService, identityConfigSchema, type IdentityConfig } from "@pulse/identity";
import {
  createLogger,
  createPrismaClient,
  StatementCounter,
  type PrismaClient,
} from "@pulse/platform";
import { Redis } from "ioredis";
import { inject } from "vitest";
import { ApiClient } from "./api-client.ts";

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a gateway in front of the stack's identity, on a free port. `overrides` are gateway
 * environment variables (for example `NODE_ENV: "production"`).
 */
export async function startGateway(
  stack: Pick<Stack, "gatewaySecret" | "identityUrl">,
  overrides: Record<string, string> = {},
): Promise<RunningGateway> {
  const config = gatewayConfigSchema.parse({
    NODE_ENV: "test",
    LOG_LEVEL,
    GATEWAY_SECRET: stack.gatewaySecret,
    JWKS_URL: `${stack.identityUrl}/.well-known/jwks.json`,
    SUBGRAPH_IDENTITY_URL: `${stack.identityUrl}/graphql`,
    SUPERGRAPH_WATCH: "false",
    // Each test client claims its own address, so per-address limits do not collide.
    TRUST_PROXY: "true",
    ...overrides,
  });
  const gateway = createGateway(config, createLogger("gateway", LOG_LEVEL));
  const url = await gateway.listen(0, "127.0.0.1");
  return { url, close: () => gateway.close() };
}

export interface Stack {
  gatewayUrl: string;
  identityUrl: string;
  /** For assertions on stored state (identity's tables). */
  prisma: PrismaClient;
  redis: Redis;
  redisPrefix: string;
  gatewaySecret: string;
  /** The Ed25519 key identity signs access tokens with (PKCS#8 PEM). */
  signingKeyPem: string;
  /** SQL statements identity sent, for batching assertions. */
  identityStatements: StatementCounter;
  /** Identity's log lines (at info level and above), parsed. */
  identityLogs: Record<string, unknown>[];
  /** A client of the gateway with a client address of its own (see TRUST_PROXY). */
  client(token?: string): ApiClient;
  close(): Promise<void>;
}

const LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "silent";

/**
 * Boots identity and the gateway on free ports against this run's database, with a Redis prefix
 * of their own, and returns what tests need to drive them through the gateway.
 */
export async function startStack(overrides: Partial<Record<keyof IdentityConfig, string>> = {}) {
  const databaseUrl = inject("databaseUrl");
  const redisUrl = inject("redisUrl");
  const redisPrefix = `${inject("redisPrefix")}${randomBytes(4).toString("hex")}:`;
  const gatewaySecret = randomBytes(32).toString("base64url");
  const signingKeyPem = generateKeyPairSync("ed25519")
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const identityStatements = new StatementCounter();
  const identityLogs: Record<string, unknown>[] = [];
  const logDestination = {
    write: (line: string) => {
      identityLogs.push(JSON.parse(line) as Record<string, unknown>);
      if (LOG_LEVEL !== "silent") process.stdout.write(line);
    },
  };

  const identity = await createIdentityService(
    identityConfigSchema.parse({
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      GATEWAY_SECRET: gatewaySecret,
      JWT_PRIVATE_KEY: signingKeyPem,
      ...overrides,
    }),
    { statementCounter: identityStatements, logDestination },
  );
  const identityUrl = await identity.subgraph.listen(0, "127.0.0.1");

  const gateway = await startGateway({ gatewaySecret, identityUrl });
  const gatewayUrl = gateway.url;

  const prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
  const redis = new Redis(redisUrl);
  const stack: Stack = {
    gatewayUrl,
    identityUrl,
    prisma,
    redis,
    redisPrefix,
    gatewaySecret,
    signingKeyPem,
    identityStatements,
    identityLogs,
    client: (token) => new ApiClient(`${gatewayUrl}/graphql`, token),
    async close() {
      await gateway.close();
      await identity.close();
      await prisma.$disconnect();
      redis.disconnect();
    },
  };
  return stack;
}
