// `pnpm codegen`: regenerates src/generated/ from schema/schema.graphql and the operations. A
// unit test fails when the committed files are stale.
import { generate } from "@graphql-codegen/cli";
import { codegenConfig } from "./config.ts";

try {
  const files = await generate(codegenConfig, true);
  console.log(`Wrote ${files.map((file: { filename: string }) => file.filename).join(", ")}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
