// `pnpm schema:check`: fails when schema/schema.graphql breaks clients of the last released schema
// (schema/released.graphql) in a way CHANGELOG.md does not record. The rule is in CHANGELOG.md.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { changePath, checkSchema } from "./lib/schema-check.ts";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFile(path.join(root, file), "utf8");

const check = await checkSchema(
  await read("schema/released.graphql"),
  await read("schema/schema.graphql"),
  await read("CHANGELOG.md"),
);
const list = (title: string, changes: typeof check.safe) => {
  if (!changes.length) return;
  console.log(`${title}:`);
  for (const change of changes) console.log(`  ${changePath(change)}: ${change.message}`);
};
list("Breaking, recorded in CHANGELOG.md", check.recorded);
list("Dangerous (may break some clients)", check.dangerous);
// Safe changes (additions, descriptions) are many and need no one's attention: counted below.
if (check.unrecorded.length) {
  list("Breaking and NOT recorded in CHANGELOG.md", check.unrecorded);
  console.log(
    'Avoid the change, or name each path above in backticks under "## Unreleased" in CHANGELOG.md.',
  );
  process.exit(1);
}
console.log(
  `schema:check passed against schema/released.graphql: ${check.recorded.length} recorded breaking, ` +
    `${check.dangerous.length} dangerous, ${check.safe.length} safe changes`,
);
