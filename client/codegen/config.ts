import path from "node:path";
import type { CodegenConfig } from "@graphql-codegen/cli";

const root = path.resolve(import.meta.dirname, "../..");

/** Where the generated documents, types and persisted-documents manifest are written. */
export const generatedDir = path.resolve(import.meta.dirname, "../src/generated");

/**
 * GraphQL Code Generator's `client` preset over the composed API schema and the operations the
 * apps send: the client contract's (a byte copy in test/contract/operations/) and this package's
 * own (src/operations/). Paths are absolute so that the config works from any directory.
 */
export const codegenConfig: CodegenConfig = {
  schema: path.join(root, "schema/schema.graphql"),
  documents: [
    path.join(root, "test/contract/operations/*.graphql"),
    path.join(import.meta.dirname, "../src/operations/*.graphql"),
  ],
  ignoreNoDocuments: false,
  silent: true,
  generates: {
    [`${generatedDir}/`]: {
      preset: "client",
      presetConfig: {
        // `useFragment` unmasks a fragment's fields where a component reads them.
        fragmentMasking: { unmaskFunctionName: "useFragment" },
        // The manifest the gateway's trusted documents load; each document carries its hash.
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" },
      },
      config: {
        // Both travel as ISO 8601 strings; the client does not parse them (client/README.md).
        scalars: {
          DateTime: { input: "string", output: "string" },
          Date: { input: "string", output: "string" },
        },
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        documentMode: "string",
      },
    },
  },
};
