import { readFile } from "node:fs/promises";
import { generate } from "@graphql-codegen/cli";
import { expect, it } from "vitest";
import { codegenConfig } from "./config.ts";

it("src/generated/ is what `pnpm codegen` generates from the schema and the operations", async () => {
  const fresh = await generate(codegenConfig, false);
  expect(fresh.length).toBeGreaterThan(0);
  for (const { filename, content } of fresh) {
    expect(await readFile(filename, "utf8"), `${filename} is stale: run pnpm codegen`).toBe(
      content,
    );
  }
}, 120_000);
