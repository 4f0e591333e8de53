import { readFileSync } from "node:fs";
import { createLogger } from "@pulse/platform/server";
import { describe, expect, it } from "vitest";
import { loadContractOperations } from "../../../scripts/lib/contract-operations.ts";
import { loadGatewayConfig } from "../config.ts";
import { documentId, TrustedDocuments } from "./trusted-documents.ts";

/** The gateway's default manifest: @pulse/client's persisted documents. */
const manifestPath = loadGatewayConfig({
  GATEWAY_SECRET: "x".repeat(32),
  REDIS_URL: "redis://127.0.0.1:6379",
}).TRUSTED_DOCUMENTS_PATH;
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, string>;

function trustedDocuments(mode: "log" | "enforce") {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("gateway", "info", {
    write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { trusted: new TrustedDocuments(mode, manifestPath, logger), lines };
}

describe("the persisted-documents manifest", () => {
  it("keys each body by the id the gateway computes (codegen's normalized SHA-256)", () => {
    const entries = Object.entries(manifest);
    expect(entries.length).toBeGreaterThan(0);
    for (const [id, body] of entries) expect(documentId(body), body).toBe(id);
  });

  it("trusts every contract operation as the apps send it, byte for byte", () => {
    const { trusted } = trustedDocuments("enforce");
    const operations = [...loadContractOperations()];
    expect(operations.length).toBeGreaterThan(40);
    for (const [name, text] of operations) expect(trusted.check(text, name), name).toBeUndefined();
  });
});

describe("TrustedDocuments", () => {
  const other = "query Mine { me { id email } }";

  it("with enforce, refuses any other document, and a text that does not parse", () => {
    const { trusted } = trustedDocuments("enforce");
    for (const text of [other, "query {"]) {
      expect(trusted.check(text, undefined)?.extensions).toEqual({
        code: "BAD_USER_INPUT",
        reason: "UNTRUSTED_DOCUMENT",
        http: { status: 400 },
      });
    }
  });

  it("tells documents apart by their operations, not their layout", () => {
    const { trusted } = trustedDocuments("enforce");
    const [[, viewer]] = [...loadContractOperations()].filter(([name]) => name === "Viewer") as [
      [string, string],
    ];
    expect(trusted.check(viewer.replace(/\s+/g, " "), "Viewer")).toBeUndefined();
    expect(trusted.check(viewer.replace("id", "id\n    id"), "Viewer")).toBeDefined();
  });

  it("with log, runs any document and warns once per document", () => {
    const { trusted, lines } = trustedDocuments("log");
    for (let i = 0; i < 3; i += 1) expect(trusted.check(other, "Mine")).toBeUndefined();
    const warnings = lines.filter((line) => line.msg === "document not in the trusted documents");
    expect(warnings).toEqual([
      expect.objectContaining({ documentId: documentId(other), operationName: "Mine" }),
    ]);
  });
});
