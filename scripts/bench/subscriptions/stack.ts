// The federated stack as separate processes: each subgraph of the registry, then the gateway
// (restarted per connection count, so each count's memory starts from a fresh process).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import path from "node:path";
import { subgraphRegistry } from "../../../subgraphs/registry.ts";
import type { BenchEnvironment } from "../discovery/environment.ts";
import { startRole, type RoleProcess } from "./children.ts";

export interface Secrets {
  gatewaySecret: string;
  signingKeyPem: string;
  publicKeyPem: string;
}

export function makeSecrets(): Secrets {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    gatewaySecret: randomBytes(32).toString("base64url"),
    signingKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** What every service process gets, as `@pulse/testkit/stack` gives it. */
export function serviceEnv(
  environment: BenchEnvironment,
  secrets: Secrets,
): Record<string, string> {
  return {
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    DATABASE_URL: environment.databaseUrl,
    REDIS_URL: environment.redisUrl,
    REDIS_PREFIX: environment.redisPrefix,
    GATEWAY_SECRET: secrets.gatewaySecret,
    JWT_PRIVATE_KEY: secrets.signingKeyPem,
    ...environment.s3,
    // Billing starts with these but benchmarks never reach Stripe.
    STRIPE_SECRET_KEY: "sk_test_bench",
    STRIPE_WEBHOOK_SECRET: "whsec_bench",
    STRIPE_PRICE_PREMIUM_MONTHLY: "price_bench_monthly",
    STRIPE_PRICE_PREMIUM_YEARLY: "price_bench_yearly",
    RECONCILE_INTERVAL_SECONDS: "0",
  };
}

/**
 * Starts every registered subgraph, one process each, in parallel; `bySubgraph` adds variables
 * for one subgraph each (`{ chat: { RATE_LIMITS: "…" } }`).
 */
export async function startSubgraphs(
  env: Record<string, string>,
  logDir: string,
  started: RoleProcess[],
  bySubgraph: Record<string, Record<string, string>> = {},
): Promise<Record<string, RoleProcess>> {
  const processes = await Promise.all(
    subgraphRegistry.map(async ({ name }) => {
      const child = await startRole(
        name,
        "subgraph-process.ts",
        { ...env, ...bySubgraph[name], BENCH_SUBGRAPH: name },
        path.join(logDir, `${name}.log`),
      );
      started.push(child);
      return child;
    }),
  );
  return Object.fromEntries(processes.map((child) => [child.name, child]));
}

export function startGatewayProcess(
  env: Record<string, string>,
  subgraphs: Record<string, RoleProcess>,
  logFile: string,
): Promise<RoleProcess> {
  return startRole(
    "gateway",
    "gateway-process.ts",
    {
      ...env,
      JWKS_URL: `${subgraphs.identity!.url}/.well-known/jwks.json`,
      SUPERGRAPH_WATCH: "false",
      ...Object.fromEntries(
        Object.values(subgraphs).map((child) => [
          `SUBGRAPH_${child.name.toUpperCase()}_URL`,
          `${child.url}/graphql`,
        ]),
      ),
    },
    logFile,
  );
}

/**
 * The whole stack with fresh secrets: every subgraph, then the gateway in front of them, each
 * pushed to `started` as it comes up (so a failed start still stops those already running).
 */
export async function startStack(
  environment: BenchEnvironment,
  logDir: string,
  started: RoleProcess[],
  bySubgraph: Record<string, Record<string, string>> = {},
): Promise<{ secrets: Secrets; subgraphs: Record<string, RoleProcess>; gateway: RoleProcess }> {
  const secrets = makeSecrets();
  const env = serviceEnv(environment, secrets);
  const subgraphs = await startSubgraphs(env, logDir, started, bySubgraph);
  const gateway = await startGatewayProcess(env, subgraphs, path.join(logDir, "gateway.log"));
  started.push(gateway);
  return { secrets, subgraphs, gateway };
}

/** The baseline server, which needs only Redis, the public key and the profiles' names. */
export function startBaselineProcess(
  environment: BenchEnvironment,
  secrets: Secrets,
  profilesFile: string,
  logFile: string,
): Promise<RoleProcess> {
  return startRole(
    "baseline",
    "baseline-process.ts",
    {
      REDIS_URL: environment.redisUrl,
      REDIS_PREFIX: environment.redisPrefix,
      BENCH_JWT_PUBLIC_KEY: secrets.publicKeyPem,
      BENCH_PROFILES_FILE: profilesFile,
    },
    logFile,
  );
}
