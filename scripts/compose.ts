// `pnpm compose`: regenerates schema/supergraph.graphql and schema/schema.graphql from the
// subgraphs' code. The test suite fails when the committed files are stale. The typed client and
// the trusted documents follow the schema: `pnpm codegen` regenerates them.
import { mkdir, writeFile } from "node:fs/promises";
import {
  apiSchemaPath,
  composeSupergraph,
  schemaDir,
  supergraphPath,
} from "./lib/compose-supergraph.ts";

try {
  const { supergraphSdl, apiSdl } = await composeSupergraph();
  await mkdir(schemaDir, { recursive: true });
  await writeFile(supergraphPath, supergraphSdl);
  await writeFile(apiSchemaPath, apiSdl);
  console.log("Wrote schema/supergraph.graphql and schema/schema.graphql");
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
