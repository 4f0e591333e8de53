import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { loadContractDocuments, operationsDir } from "../../scripts/lib/contract-operations.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const sharedOperationsDir = path.resolve(repoRoot, "../shared/contract/operations");
const apiSchema = buildSchema(readFileSync(path.join(repoRoot, "schema/schema.graphql"), "utf8"));

describe("client contract", () => {
  it.runIf(existsSync(sharedOperationsDir))(
    "the repo's copy of the operations is identical to ../shared/contract",
    () => {
      const files = (dir: string) =>
        readdirSync(dir)
          .filter((f) => f.endsWith(".graphql"))
          .sort();
      expect(files(operationsDir)).toEqual(files(sharedOperationsDir));
      for (const file of files(sharedOperationsDir)) {
        const copy = readFileSync(path.join(operationsDir, file), "utf8");
        expect(copy, file).toBe(readFileSync(path.join(sharedOperationsDir, file), "utf8"));
      }
    },
  );

  const documents = [...loadContractDocuments()];

  it("has all 49 operations of the six subgraphs", () => {
    const operations = documents.flatMap(([, document]) =>
      document.definitions.filter((definition) => definition.kind === "OperationDefinition"),
    );
    expect(operations).toHaveLength(49);
  });

  it.each(documents)("%s validates against schema/schema.graphql", (_file, document) => {
    expect(validate(apiSchema, document).map((error) => error.message)).toEqual([]);
  });
});
