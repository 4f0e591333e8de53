import { defineConfig } from "vitest/config";

// Test tiers, told apart by file name: `*.test.ts` next to the code (unit, or `*.int.test.ts`
// with real Postgres and Redis) and `test/e2e/*.e2e.ts` (gateway and subgraphs over HTTP).
export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (`main`) and ESM (`module`) builds. Node loads the CommonJS one
    // for the libraries; our inlined sources must get the same instance, or `instanceof` fails.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    include: ["**/*.test.ts", "test/e2e/**/*.e2e.ts"],
    exclude: ["**/node_modules/**", ".data/**"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
