import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { printExecutableGraphQLDocument } from "@graphql-tools/documents";
import { ErrorCode, type Logger } from "@pulse/platform/server";
import { GraphQLError, parse } from "graphql";
import { LRUCache } from "lru-cache";
import { OPERATION_LIMITS } from "./operation-limits.ts";

/**
 * What the gateway does with a document that is not in the manifest: `off` runs it, `log` runs
 * it and says so once per document, `enforce` refuses it.
 */
export type TrustedDocumentsMode = "off" | "log" | "enforce";

/** Distinct unknown documents logged at most, so a flood of them cannot flood the log. */
const LOGGED_UNKNOWN_DOCUMENTS = 1_000;
/** Characters of document text whose ids are remembered, so a known text is parsed once. */
const REMEMBERED_TEXT_CHARS = 4_000_000;

/**
 * A document's id in the persisted-documents manifest: `sha256:` and the hex SHA-256 of its
 * normalized print (selections and definitions sorted, whitespace collapsed), as GraphQL Code
 * Generator's client preset computes it. So the contract's exact text, the generated documents'
 * text and the manifest's body of one operation share an id. Undefined for a text that does
 * not parse, or has more tokens than any operation may.
 */
export function documentId(text: string): string | undefined {
  let normalized: string;
  try {
    // Within the limit every request parses under, so a flood of big texts costs no more here.
    const document = parse(text, { noLocation: true, maxTokens: OPERATION_LIMITS.maxTokens });
    normalized = printExecutableGraphQLDocument(document);
  } catch {
    return undefined;
  }
  return `sha256:${createHash("sha256").update(normalized).digest("hex")}`;
}

/**
 * The operations the apps send: @pulse/client's persisted-documents manifest
 * (`client/src/generated/persisted-documents.json`, `{ [id]: body }`, written by
 * `pnpm codegen`), looked up by {@link documentId}. With `enforce` an operator locks the public
 * API to them, on HTTP and graphql-ws alike.
 */
export class TrustedDocuments {
  private readonly known: ReadonlySet<string>;
  private readonly logged = new Set<string>();
  private readonly ids = new LRUCache<string, string>({
    maxSize: REMEMBERED_TEXT_CHARS,
    sizeCalculation: (_id, text) => Math.max(text.length, 1),
  });

  constructor(
    private readonly mode: TrustedDocumentsMode,
    manifestPath: string,
    private readonly logger: Logger,
  ) {
    if (mode === "off") {
      this.known = new Set();
      return;
    }
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, string>;
    this.known = new Set(Object.keys(manifest));
  }

  /**
   * Undefined when `query` may run; the error to answer when it is refused (BAD_USER_INPUT,
   * `extensions.reason` UNTRUSTED_DOCUMENT, HTTP 400).
   */
  check(query: string, operationName: string | null | undefined): GraphQLError | undefined {
    if (this.mode === "off") return undefined;
    const id = this.idOf(query);
    if (id && this.known.has(id)) return undefined;
    if (this.mode === "log") {
      const logged = id ?? "unparsable";
      if (this.logged.size < LOGGED_UNKNOWN_DOCUMENTS && !this.logged.has(logged)) {
        this.logged.add(logged);
        this.logger.warn(
          { documentId: logged, operationName },
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

  private idOf(query: string): string | undefined {
    const remembered = this.ids.get(query);
    if (remembered) return remembered;
    const id = documentId(query);
    if (id) this.ids.set(query, id);
    return id;
  }
}
