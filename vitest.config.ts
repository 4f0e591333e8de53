import { defineConfig } from "vitest/config";

/** Provisions a run's database, Redis prefix and s3rver: only the tiers that talk to them. */
const services = ["testkit/src/global-setup.ts"];
const ignored = ["**/node_modules/**", ".data/**"];

// Three tiers, told apart by file name (docs/testing.md): `*.test.ts` next to the code (unit: no
// services), `*.int.test.ts` next to the code (one subgraph or platform part with real Postgres
// and Redis) and `test/e2e/*.e2e.ts` (the gateway and every subgraph on free ports).
// `pnpm test` runs all three; `pnpm test:unit`, `test:int` and `test:e2e` run one.
export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (`main`) and ESM (`module`) builds. Node loads the CommonJS one
    // for the libraries; our inlined sources must get the same instance, or `instanceof` fails.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    // type-graphql's decorators need the metadata polyfill loaded first. A process loads it
    // through `@pulse/platform/subgraph` before its types; a test may import a type first.
    setupFiles: ["reflect-metadata"],
    // `expect.poll` waits on asynchronous effects as `eventually` (@pulse/testkit) does.
    expect: { poll: { timeout: 15_000, interval: 25 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "./testkit/src/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...ignored, "**/*.int.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "int",
          include: ["**/*.int.test.ts"],
          exclude: ignored,
          globalSetup: services,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.ts"],
          exclude: ignored,
          globalSetup: services,
        },
      },
    ],
  },
});
