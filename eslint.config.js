// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Node 20's AsyncLocalStorage costs every promise of the process; nothing may import it. */
const noAsyncHooks = {
  name: "node:async_hooks",
  message:
    "On Node 20 AsyncLocalStorage runs promise hooks for every promise of the process: pass what a request needs in its context.",
};

/** Files allowed to read process.env: each process's one config module, and tooling. */
const environmentReaders = [
  "**/src/config.ts",
  "platform/src/config/**",
  "prisma/src/cli/**",
  "scripts/**",
  "test/**",
  "testkit/**",
  "**/*.test.ts",
  "**/*.config.ts",
];

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "prisma/generated/**", ".data/**", "schema/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration in the process's config module (src/config.ts) only.",
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [noAsyncHooks],
          patterns: [
            {
              group: ["@pulse/db/generated/*", "**/prisma/generated/**"],
              message: "Import the Prisma client from @pulse/db.",
            },
          ],
        },
      ],
    },
  },
  {
    files: environmentReaders,
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // A subgraph reaches other domains only through the gateway and domain events.
    files: ["subgraphs/*/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noAsyncHooks],
          patterns: [
            {
              group: ["@pulse/*", "!@pulse/platform", "!@pulse/db", "!@pulse/testkit"],
              message: "A subgraph must not import another subgraph or the gateway.",
            },
          ],
        },
      ],
    },
  },
  {
    // The gateway loads no ORM: it imports the platform's server entry only (a test checks the
    // loaded modules too).
    files: ["gateway/src/**"],
    ignores: ["gateway/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noAsyncHooks, { name: "pg", message: "The gateway never talks to Postgres." }],
          patterns: [
            {
              group: ["@pulse/*", "!@pulse/platform", "!@pulse/platform/server"],
              message: "The gateway imports only @pulse/platform/server.",
            },
            { group: ["@prisma/*"], message: "The gateway never loads Prisma." },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts", "testkit/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
