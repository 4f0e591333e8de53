import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { createGateway, gatewayConfigSchema } from "@pulse/gateway";
import { createLogger, signForwardedIdentity } from "@pulse/platform/server";
import { type SubgraphService } from "@pulse/platform/subgraph";
import { AccessTokenIssuer } from "../../../subgraphs/identity/src/tokens/access-token.service.ts";
import { SigningKeys } from "../../../subgraphs/identity/src/tokens/signing-keys.service.ts";
import { subgraphRegistry } from "../../../subgraphs/registry.ts";
import type { BenchEnvironment } from "./environment.ts";

/** Every subgraph and the gateway, in this process, on free loopback ports. */
export interface BenchStack {
  gatewayUrl: string;
  urls: Record<string, string>;
  /** An access token for `userId`, as identity would issue at sign-in. */
  accessToken(userId: string): Promise<string>;
  /** The gateway's signed statement that `userId` is calling, to call a subgraph directly. */
  forwardedIdentity(userId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startBenchStack(environment: BenchEnvironment): Promise<BenchStack> {
  const gatewaySecret = randomBytes(32).toString("base64url");
  const signingKeyPem = generateKeyPairSync("ed25519")
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const env = {
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    DATABASE_URL: environment.databaseUrl,
    REDIS_URL: environment.redisUrl,
    REDIS_PREFIX: environment.redisPrefix,
    GATEWAY_SECRET: gatewaySecret,
    JWT_PRIVATE_KEY: signingKeyPem,
    ...environment.s3,
    // Billing starts with these but benchmarks never reach Stripe.
    STRIPE_SECRET_KEY: "sk_test_bench",
    STRIPE_WEBHOOK_SECRET: "whsec_bench",
    STRIPE_PRICE_PREMIUM_MONTHLY: "price_bench_monthly",
    STRIPE_PRICE_PREMIUM_YEARLY: "price_bench_yearly",
    RECONCILE_INTERVAL_SECONDS: "0",
  };
  const services: SubgraphService[] = [];
  const urls: Record<string, string> = {};
  for (const entry of subgraphRegistry) {
    const service = await entry.createService(env);
    services.push(service);
    urls[entry.name] = await service.subgraph.listen(0, "127.0.0.1");
  }
  const gateway = createGateway(
    gatewayConfigSchema.parse({
      ...env,
      JWKS_URL: `${urls.identity}/.well-known/jwks.json`,
      SUPERGRAPH_WATCH: "false",
      ...Object.fromEntries(
        Object.entries(urls).map(([name, url]) => [
          `SUBGRAPH_${name.toUpperCase()}_URL`,
          `${url}/graphql`,
        ]),
      ),
    }),
    createLogger("gateway", "warn"),
  );
  const gatewayUrl = await gateway.listen(0, "127.0.0.1");
  const issuer = new AccessTokenIssuer(await SigningKeys.fromPem(signingKeyPem, []), {
    issuer: "pulse-identity",
    audience: "pulse-api",
    ttlSeconds: 3600,
  });
  return {
    gatewayUrl,
    urls,
    accessToken: async (userId) =>
      (await issuer.issue({ accountId: userId, role: "USER", sessionId: randomUUID() })).token,
    forwardedIdentity: (userId) =>
      signForwardedIdentity(
        {
          viewer: { id: userId, role: "USER", sessionId: randomUUID() },
          clientIp: "127.0.0.1",
          requestId: randomUUID(),
        },
        gatewaySecret,
      ),
    async close() {
      await gateway.close();
      for (const service of services.reverse()) await service.close();
    },
  };
}
