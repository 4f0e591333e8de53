import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUTHORIZATION_DOC_PATH, authorizationDoc } from "./authorization-doc.ts";

describe("docs/authorization.md", () => {
  it("is what `pnpm docs:authz` writes from the authorization table", async () => {
    const committed = readFileSync(AUTHORIZATION_DOC_PATH, "utf8");
    expect(committed, "stale: run pnpm docs:authz").toBe(await authorizationDoc());
  });
});
