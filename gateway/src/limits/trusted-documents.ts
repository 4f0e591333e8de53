import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ErrorCode, type Logger } from "@pulse/platform/server";
import { GraphQLError } from "graphql";

/**
 * What the gateway does with a document that is not in the manifest: `off` runs it, `log` runs
 * it and says so once per document, `enforce` refuses it.
 */
export type TrustedDocumentsMode = "off" | "log" | "enforce";

/** Distinct unknown documents logged at most, so a flood of them cannot flood the log. */
const LOGGED_UNKNOWN_DOCUMENTS = 1_000;

/**
 * The operations the apps send (`schema/trusted-documents.json`, Apollo's persisted query
 * manifest format), looked up by the SHA-256 of a request's exact document text. With
 * `enforce` an operator locks the public API to them, on HTTP and graphql-ws alike.
 */
export class TrustedDocuments {
  private readonly known: ReadonlySet<string>;
  private readonly logged = new Set<string>();

  constructor(
    private readonly mode: TrustedDocumentsMode,
    manifestPath: string,
    private readonly logger: Logger,
  ) {
    if (mode === "off") {
      this.known = new Set();
      return;
    }
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      operations: { id: string }[];
    };
    this.known = new Set(manifest.operations.map((operation) => operation.id));
  }

  /**
   * Undefined when `query` may run; the error to answer when it is refused (BAD_USER_INPUT,
   * `extensions.reason` UNTRUSTED_DOCUMENT, HTTP 400).
   */
  check(query: string, operationName: string | null | undefined): GraphQLError | undefined {
    if (this.mode === "off") return undefined;
    const id = createHash("sha256").update(query).digest("hex");
    if (this.known.has(id)) return undefined;
    if (this.mode === "log") {
      if (this.logged.size < LOGGED_UNKNOWN_DOCUMENTS && !this.logged.has(id)) {
        this.logged.add(id);
        this.logger.warn(
          { documentId: id, operationName },
          "document not in the trusted documents",
        );
      }
      return undefined;
    }
    return new GraphQLError("This document is not among the operations this API serves", {
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        reason: "UNTRUSTED_DOCUMENT",
        http: { status: 400 },
      },
    });
  }
}
