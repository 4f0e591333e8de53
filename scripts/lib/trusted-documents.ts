import { createHash } from "node:crypto";
import path from "node:path";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { loadContractOperations } from "./contract-operations.ts";
import { schemaDir } from "./compose-supergraph.ts";

export const trustedDocumentsPath = path.join(schemaDir, "trusted-documents.json");

/** One operation of the manifest, in Apollo's persisted query manifest format. */
export interface TrustedOperation {
  /** SHA-256 of `body`, hex: what the gateway looks a request's document up by. */
  id: string;
  name: string;
  type: "query" | "mutation" | "subscription";
  body: string;
}

export interface TrustedDocumentsManifest {
  format: "apollo-persisted-query-manifest";
  version: 1;
  operations: TrustedOperation[];
}

/** The documents the apps send (the client contract's operations, exactly as sent). */
export function trustedDocumentsManifest(): TrustedDocumentsManifest {
  const operations = [...loadContractOperations()].map(([name, body]): TrustedOperation => {
    const operation = parse(body).definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION,
    )!;
    return {
      id: createHash("sha256").update(body).digest("hex"),
      name,
      type: operation.operation,
      body,
    };
  });
  return { format: "apollo-persisted-query-manifest", version: 1, operations };
}
