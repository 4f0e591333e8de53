import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createGateway, gatewayConfigSchema } from "@pulse/gateway";
import { createLogger } from "@pulse/platform/server";
import {
  createPrismaClient,
  StatementCounter,
  type PrismaClient,
  type SubgraphService,
} from "@pulse/platform/subgraph";
import { Redis } from "ioredis";
import { inject } from "vitest";
import { createBucket, LOCAL_S3_CREDENTIALS } from "../../scripts/lib/local-s3.ts";
import { subgraphRegistry } from "../../subgraphs/registry.ts";
import { ApiClient } from "./api-client.ts";
import { startTestStripe, type LocalStripe, type TestStripe } from "./local-stripe.ts";

const LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "silent";

/** A log destination that keeps each line, parsed, in `lines` (and prints it if asked to). */
function capture(lines: Record<string, unknown>[]) {
  return {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
      if (LOG_LEVEL !== "silent") process.stdout.write(line);
    },
  };
}

export interface RunningGateway {
  url: string;
  /** The gateway's log lines (info and above), parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface Stack {
  gatewayUrl: string;
  /** Each subgraph's base URL, by name. */
  urls: Record<string, string>;
  /** SQL statements each subgraph sent, by name, for batching assertions. */
  statements: Record<string, StatementCounter>;
  /** Each subgraph's log lines (info and above), parsed, by name. */
  logs: Record<string, Record<string, unknown>[]>;
  /** The gateway's log lines (info and above), parsed. */
  gatewayLogs: Record<string, unknown>[];
  /** For assertions on stored state, in any subgraph's tables. */
  prisma: PrismaClient;
  redis: Redis;
  redisPrefix: string;
  /** The stack's own bucket on the run's s3rver (path-style, `LOCAL_S3_CREDENTIALS`). */
  s3: { endpoint: string; bucket: string };
  gatewaySecret: string;
  /**
   * The stack's own local Stripe test server. Its webhooks go to the gateway's
   * `POST /webhooks/stripe`, which passes them through to billing.
   */
  stripe: LocalStripe;
  /** The Ed25519 key identity signs access tokens with (PKCS#8 PEM). */
  signingKeyPem: string;
  /** A client of the gateway with a client address of its own (see TRUST_PROXY). */
  client(token?: string): ApiClient;
  /** Stops subgraph `name` as on SIGTERM. */
  stopSubgraph(name: string): Promise<void>;
  /** Starts stopped subgraph `name` again, on the same port. */
  startSubgraph(name: string): Promise<void>;
  /** Starts another replica of subgraph `name` on the same database and Redis (closed with the stack). */
  startReplica(name: string): Promise<{ url: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

/**
 * Starts a gateway in front of the stack's subgraphs, on a free port. `overrides` are gateway
 * environment variables (for example `NODE_ENV: "production"`).
 */
export async function startGateway(
  stack: Pick<Stack, "gatewaySecret" | "urls" | "redisPrefix">,
  overrides: Record<string, string> = {},
): Promise<RunningGateway> {
  const config = gatewayConfigSchema.parse({
    NODE_ENV: "test",
    LOG_LEVEL,
    GATEWAY_SECRET: stack.gatewaySecret,
    REDIS_URL: inject("redisUrl"),
    REDIS_PREFIX: stack.redisPrefix,
    JWKS_URL: `${stack.urls.identity}/.well-known/jwks.json`,
    ...Object.fromEntries(
      Object.entries(stack.urls).map(([name, url]) => [
        `SUBGRAPH_${name.toUpperCase()}_URL`,
        `${url}/graphql`,
      ]),
    ),
    SUPERGRAPH_WATCH: "false",
    // Each test client claims its own address, so per-address limits do not collide.
    TRUST_PROXY: "true",
    ...overrides,
  });
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger("gateway", "info", capture(logs));
  const gateway = createGateway(config, logger);
  const url = await gateway.listen(0, "127.0.0.1");
  return { url, logs, close: () => gateway.close() };
}

/** Runs `test` against a gateway started with `overrides`, and closes it however `test` ends. */
export async function withGateway<Result>(
  stack: Pick<Stack, "gatewaySecret" | "urls" | "redisPrefix">,
  overrides: Record<string, string>,
  test: (gateway: RunningGateway) => Promise<Result>,
): Promise<Result> {
  const gateway = await startGateway(stack, overrides);
  try {
    return await test(gateway);
  } finally {
    await gateway.close();
  }
}

/** What every service of a stack is told, and the parts of it tests use. */
export interface StackEnvironment {
  /** Every subgraph's environment variables. */
  env: Record<string, string>;
  redisPrefix: string;
  gatewaySecret: string;
  /** The Ed25519 key identity signs access tokens with (PKCS#8 PEM). */
  signingKeyPem: string;
  s3: { endpoint: string; bucket: string };
  /** A local Stripe server of its own, which the caller closes. */
  testStripe: TestStripe;
}

/**
 * The environment of a stack's services: `databaseUrl` (this run's database by default), this
 * run's Redis under a prefix of its own, a gateway secret and signing key of its own, a bucket of
 * its own on the run's s3rver and a local Stripe server of its own.
 */
export async function stackEnvironment(
  databaseUrl = inject("databaseUrl"),
): Promise<StackEnvironment> {
  const redisPrefix = `${inject("redisPrefix")}${randomBytes(4).toString("hex")}:`;
  const gatewaySecret = randomBytes(32).toString("base64url");
  const signingKeyPem = generateKeyPairSync("ed25519")
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const s3 = {
    endpoint: inject("s3Endpoint"),
    bucket: `pulse-test-${randomBytes(4).toString("hex")}`,
  };
  await createBucket(s3.endpoint, s3.bucket);
  const testStripe = await startTestStripe();
  const env = {
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: databaseUrl,
    REDIS_URL: inject("redisUrl"),
    REDIS_PREFIX: redisPrefix,
    GATEWAY_SECRET: gatewaySecret,
    JWT_PRIVATE_KEY: signingKeyPem,
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
    ...testStripe.env,
  };
  return { env, redisPrefix, gatewaySecret, signingKeyPem, s3, testStripe };
}

/**
 * Boots every subgraph and the gateway on free ports against this run's database, with a Redis
 * prefix of their own. `overrides` are environment variables for every subgraph; `bySubgraph`,
 * for one subgraph each (`{ chat: { RATE_LIMITS: "…" } }`).
 */
export async function startStack(
  overrides: Record<string, string> = {},
  bySubgraph: Record<string, Record<string, string>> = {},
): Promise<Stack> {
  const databaseUrl = inject("databaseUrl");
  const redisUrl = inject("redisUrl");
  const environment = await stackEnvironment(databaseUrl);
  const { redisPrefix, gatewaySecret, signingKeyPem, s3, testStripe } = environment;
  const env = { ...environment.env, ...overrides };

  const services = new Map<string, SubgraphService>();
  const replicas: SubgraphService[] = [];
  const urls: Record<string, string> = {};
  const statements: Record<string, StatementCounter> = {};
  const logs: Record<string, Record<string, unknown>[]> = {};
  const create = (name: string) => {
    const entry = subgraphRegistry.find((candidate) => candidate.name === name)!;
    statements[name] ??= new StatementCounter();
    const lines = (logs[name] ??= []);
    return entry.createService(
      { ...env, ...bySubgraph[name] },
      {
        statementCounter: statements[name],
        logDestination: capture(lines),
      },
    );
  };
  for (const { name } of subgraphRegistry) {
    const service = await create(name);
    services.set(name, service);
    urls[name] = await service.subgraph.listen(0, "127.0.0.1");
  }

  // The subgraphs' Redis, which a fault test may put behind a proxy of its own.
  const gateway = await startGateway(
    { gatewaySecret, urls, redisPrefix },
    { REDIS_URL: overrides.REDIS_URL ?? redisUrl },
  );
  testStripe.stripe.addWebhookEndpoint(`${gateway.url}/webhooks/stripe`, testStripe.webhookSecret);
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
  const redis = new Redis(redisUrl);
  return {
    gatewayUrl: gateway.url,
    urls,
    statements,
    logs,
    gatewayLogs: gateway.logs,
    prisma,
    redis,
    redisPrefix,
    s3,
    gatewaySecret,
    stripe: testStripe.stripe,
    signingKeyPem,
    client: (token) => new ApiClient(`${gateway.url}/graphql`, token),
    async stopSubgraph(name) {
      await services.get(name)!.close();
      services.delete(name);
    },
    async startSubgraph(name) {
      const service = await create(name);
      services.set(name, service);
      await service.subgraph.listen(Number(new URL(urls[name]!).port), "127.0.0.1");
    },
    async startReplica(name) {
      const service = await create(name);
      replicas.push(service);
      const url = await service.subgraph.listen(0, "127.0.0.1");
      return {
        url,
        async close() {
          replicas.splice(replicas.indexOf(service), 1);
          await service.close();
        },
      };
    },
    async close() {
      await testStripe.stripe.close();
      await gateway.close();
      for (const service of [...replicas, ...[...services.values()].reverse()]) {
        await service.close();
      }
      await prisma.$disconnect();
      redis.disconnect();
    },
  };
}
