import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.ts";

// `pnpm test:release` (its own command, not part of `pnpm test`): the previous release's code and
// this one's serving side by side across a migration (test/release/, docs/testing.md). The
// project is added to the usual ones and selected with `--project release`.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: "release",
            include: ["test/release/**/*.release.ts"],
            globalSetup: ["testkit/src/global-setup.ts"],
          },
        },
      ],
    },
  }),
);
