import { writeFileSync } from "node:fs";
import { AUTHORIZATION_DOC_PATH, authorizationDoc } from "../test/authz/authorization-doc.ts";

// `pnpm docs:authz`: writes docs/authorization.md from test/authz/authorization-table.ts.
writeFileSync(AUTHORIZATION_DOC_PATH, await authorizationDoc());
console.log(`wrote ${AUTHORIZATION_DOC_PATH}`);
