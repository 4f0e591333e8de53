// The work of `pnpm dev` (started by scripts/dev.ts): everything on one machine with only Node
// installed. Postgres (embedded unless DATABASE_URL is set), Redis (redis-server unless
// REDIS_URL is set), S3 for photos (s3rver unless S3_ENDPOINT is set), Stripe (the local Stripe
// test server unless STRIPE_SECRET_KEY is set), migrations, every
// subgraph and the gateway under `tsx watch`, demo data seeded through the API, then a banner.
// SIGTERM stops it all, newest first. Data is in `.data/`.
import path from "node:path";
import { applyMigrations, ensureDatabase } from "@pulse/db/migrate";
import { subgraphRegistry } from "../../subgraphs/registry.ts";
import { printBanner } from "./banner.ts";
import { DevStartError, provideDatabase, provideRedis, provideS3 } from "./infrastructure.ts";
import { portIsFree } from "./ports.ts";
import { loadDevSecrets } from "./secrets.ts";
import { seedDemoData, type SeedOutcome } from "./seed.ts";
import { provideStripe, type DevStripe } from "./stripe.ts";
import { startService } from "./service-process.ts";
import { waitUntilReady } from "./wait-ready.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const dataDir = path.join(repoRoot, ".data");
const production = process.env.NODE_ENV === "production";
const gatewayPort = Number(process.env.PORT || 4000);
const identityPort = subgraphRegistry.find(({ name }) => name === "identity")?.defaultPort ?? 4001;

/** What to stop on the way out, in the order it was started. */
const started: (() => Promise<void>)[] = [];
let stopping: Promise<void> | undefined;

/** Stops everything started so far, newest first, then exits. Runs once. */
function shutdown(exitCode: number): Promise<void> {
  stopping ??= (async () => {
    if (started.length === 0) process.exit(exitCode);
    for (const stop of started.reverse()) {
      await stop().catch((error: unknown) => console.error("While stopping:", error));
    }
    console.log("Stopped.");
    process.exit(exitCode);
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (!stopping) console.log(`\n${signal}: stopping the services, Redis and Postgres...`);
    void shutdown(0);
  });
}
// The launcher went away without signalling (e.g. killed with SIGKILL): nobody will stop us.
process.on("disconnect", () => void shutdown(0));

try {
  await main();
} catch (error) {
  console.error(error instanceof DevStartError ? error.message : error);
  await shutdown(1);
}

async function main(): Promise<void> {
  if (production) refuseWithoutProductionConfig();
  await requireFreePorts();

  const database = await provideDatabase(path.join(dataDir, "postgres"));
  started.push(database.stop);
  console.log(`Postgres: ${database.description}`);
  await ensureDatabase(database.url);
  const applied = await applyMigrations(database.url);
  console.log(applied.length > 0 ? `Applied: ${applied.join(", ")}` : "Database is up to date.");

  const redis = await provideRedis(path.join(dataDir, "redis"));
  started.push(redis.stop);
  console.log(`Redis: ${redis.description}`);

  const s3 = await provideS3(path.join(dataDir, "s3"), production);
  started.push(s3.stop);
  console.log(`S3: ${s3.description}`);

  const stripe = await provideStripe(
    path.join(dataDir, "stripe"),
    `http://127.0.0.1:${gatewayPort}/webhooks/stripe`,
    production,
  );
  started.push(stripe.stop);
  console.log(`Stripe: ${stripe.description}`);

  const secrets = await loadDevSecrets(path.join(dataDir, "keys"));
  const shared = {
    ...process.env,
    NODE_ENV: production ? "production" : "development",
    LOG_LEVEL: process.env.LOG_LEVEL || "info",
    GATEWAY_SECRET: secrets.gatewaySecret,
  };

  const subgraphs = subgraphRegistry.map(({ name, defaultPort }) => ({
    url: `http://127.0.0.1:${defaultPort}`,
    service: startService({
      name,
      cwd: path.join(repoRoot, "subgraphs", name),
      entry: "src/main.ts",
      env: {
        ...shared,
        PORT: String(defaultPort),
        HOST: "127.0.0.1",
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        REDIS_PREFIX: "pulse-dev:",
        JWT_PRIVATE_KEY: secrets.jwtPrivateKey,
        // Competitions' demo activity feed (development only): the demo leaderboard moves.
        DEMO_ACTIVITY_MS: process.env.DEMO_ACTIVITY_MS ?? "3000",
        ...s3.env,
        ...stripe.env,
      },
    }),
  }));
  started.push(async () => {
    await Promise.all(subgraphs.map(({ service }) => service.stop()));
  });
  await Promise.all(subgraphs.map(({ service, url }) => waitUntilReady(service, url)));

  const gateway = startService({
    name: "gateway",
    cwd: path.join(repoRoot, "gateway"),
    entry: "src/main.ts",
    env: {
      ...shared,
      PORT: String(gatewayPort),
      REDIS_URL: redis.url,
      REDIS_PREFIX: "pulse-dev:",
      JWKS_URL: `http://127.0.0.1:${identityPort}/.well-known/jwks.json`,
      ...Object.fromEntries(
        subgraphRegistry.map(({ name, defaultPort }) => [
          `SUBGRAPH_${name.toUpperCase()}_URL`,
          `http://127.0.0.1:${defaultPort}/graphql`,
        ]),
      ),
    },
  });
  started.push(gateway.stop);
  await waitUntilReady(gateway, `http://127.0.0.1:${gatewayPort}`);

  printBanner({
    gatewayUrl: `http://localhost:${gatewayPort}`,
    subgraphs: subgraphs.map(({ service, url }) => ({ name: service.name, url: `${url}/graphql` })),
    seeded: await seed(`http://127.0.0.1:${gatewayPort}/graphql`, stripe),
    localStripe: stripe.local !== null,
    data: {
      Postgres: database.description,
      Redis: redis.description,
      S3: s3.description,
      Stripe: stripe.description,
      Secrets:
        process.env.GATEWAY_SECRET && process.env.JWT_PRIVATE_KEY
          ? "GATEWAY_SECRET and JWT_PRIVATE_KEY from the environment"
          : `${path.join(dataDir, "keys")} (unless set in the environment)`,
    },
  });
}

/** Seeds the demo accounts; a failure is reported but leaves the running services up. */
async function seed(
  graphqlUrl: string,
  stripe: DevStripe,
): Promise<Map<string, SeedOutcome> | undefined> {
  if (production) {
    console.log("NODE_ENV=production: no demo accounts seeded.");
    return undefined;
  }
  try {
    return await seedDemoData(graphqlUrl, stripe.local);
  } catch (error) {
    console.error(`Seeding demo data failed: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * In production nothing local may stand in for real infrastructure or secrets: no embedded
 * Postgres, no spawned Redis, no keys generated into `.data/`.
 */
function refuseWithoutProductionConfig(): void {
  const required = [
    "DATABASE_URL",
    "REDIS_URL",
    "GATEWAY_SECRET",
    "JWT_PRIVATE_KEY",
    "S3_BUCKET",
    "STRIPE_SECRET_KEY",
  ];
  const missing = required.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new DevStartError(
      "NODE_ENV=production: pnpm dev starts no local Postgres, Redis, S3 or secrets; " +
        `set ${missing.join(", ")}.`,
    );
  }
}

/** Fails fast when a service port is taken, e.g. by another `pnpm dev`. */
async function requireFreePorts(): Promise<void> {
  if (!Number.isInteger(gatewayPort)) throw new DevStartError(`PORT: not a port number`);
  const ports = [
    ...subgraphRegistry.map(({ name, defaultPort }) => ({ name, port: defaultPort })),
    { name: "gateway", port: gatewayPort },
  ];
  for (const { name, port } of ports) {
    if (!(await portIsFree(port))) {
      throw new DevStartError(
        `Port ${port} (${name}) is already in use. Is another \`pnpm dev\` running?`,
      );
    }
  }
}
