/**
 * What the gateway tells its explorer pages, in a `<script type="application/json">` block (data,
 * not code, so the pages' content policy allows no inline script). Shared by the gateway and
 * the pages' browser code.
 */
export interface ExplorerConfig {
  /** The GraphQL endpoint's path on this origin, for HTTP and graphql-ws alike. */
  endpoint: string;
  /** The client contract's operations, each with the fragments it uses. */
  operations: DemoOperation[];
}

export interface DemoOperation {
  name: string;
  type: "query" | "mutation" | "subscription";
  body: string;
}

export const EXPLORER_CONFIG_ELEMENT_ID = "explorer-config";
