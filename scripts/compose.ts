// `pnpm compose`: regenerates schema/supergraph.graphql and schema/schema.graphql from the
// subgraphs' code, and schema/trusted-documents.json from the client contract's operations. The
// test suite fails when the committed files are stale.
import { mkdir, writeFile } from "node:fs/promises";
import {
  apiSchemaPath,
  composeSupergraph,
  schemaDir,
  supergraphPath,
} from "./lib/compose-supergraph.ts";
import { trustedDocumentsManifest, trustedDocumentsPath } from "./lib/trusted-documents.ts";

try {
  const { supergraphSdl, apiSdl } = await composeSupergraph();
  await mkdir(schemaDir, { recursive: true });
  await writeFile(supergraphPath, supergraphSdl);
  await writeFile(apiSchemaPath, apiSdl);
  await writeFile(trustedDocumentsPath, `${JSON.stringify(trustedDocumentsManifest(), null, 2)}\n`);
  console.log(
    "Wrote schema/supergraph.graphql, schema/schema.graphql and schema/trusted-documents.json",
  );
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
