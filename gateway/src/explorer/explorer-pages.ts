import { readFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { Kind, OperationTypeNode, parse, print } from "graphql";
import type { RouteHandler } from "@pulse/platform/server";
import {
  EXPLORER_CONTENT_SECURITY_POLICY,
  SANDBOX_CONTENT_SECURITY_POLICY,
} from "../security-headers.ts";
import { ASSETS_PATH, ExplorerAssets } from "./explorer-assets.ts";
import {
  EXPLORER_CONFIG_ELEMENT_ID,
  type DemoOperation,
  type ExplorerConfig,
} from "./explorer-config.ts";

/** Where Apollo Sandbox is served; GraphiQL is the page of the GraphQL endpoint itself. */
export const SANDBOX_PATH = "/sandbox";
const ENDPOINT_PATH = "/graphql";

export interface ExplorerOptions {
  /** The trusted documents manifest, whose operations the explorer offers. */
  trustedDocumentsPath: string;
}

/**
 * The development explorers: GraphiQL on `GET /graphql` for browsers (everything from npm,
 * bundled here, so it works offline) and Apollo Sandbox on `/sandbox` (Apollo's iframe, so only
 * where Apollo is reachable). Each page carries the content policy it needs.
 */
export class Explorers {
  private readonly assets = new ExplorerAssets();

  constructor(private readonly options: ExplorerOptions) {}

  /** The GraphQL handler, answering a browser's page request with GraphiQL instead. */
  graphql(api: RouteHandler): RouteHandler {
    return async (req, res) => {
      if (!wantsPage(req)) return api(req, res);
      await this.page(res, "graphiql", EXPLORER_CONTENT_SECURITY_POLICY);
    };
  }

  /** `/sandbox` and the bundled files. */
  routes(): Record<string, RouteHandler> {
    return {
      ...this.assets.routes(),
      [SANDBOX_PATH]: (_req, res) => this.page(res, "sandbox", SANDBOX_CONTENT_SECURITY_POLICY),
    };
  }

  private async page(
    res: Parameters<RouteHandler>[1],
    page: "graphiql" | "sandbox",
    contentSecurityPolicy: string,
  ): Promise<void> {
    const config: ExplorerConfig = {
      endpoint: ENDPOINT_PATH,
      // Read on each visit: `pnpm compose` rewrites the manifest while the gateway runs.
      operations: page === "graphiql" ? await this.operations() : [],
    };
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": contentSecurityPolicy,
      "cache-control": "no-store",
    });
    res.end(pageHtml(page, config));
  }

  private async operations(): Promise<DemoOperation[]> {
    const manifest = JSON.parse(
      await readFile(this.options.trustedDocumentsPath, "utf8"),
    ) as Record<string, string>;
    return Object.values(manifest)
      .map(demoOperation)
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

/**
 * A manifest document (printed on one line, fragments first) as the explorer offers it: named,
 * readable, its operation first. GraphiQL picks the operation to run from the top of the editor.
 */
function demoOperation(document: string): DemoOperation {
  const parsed = parse(document);
  const operation = parsed.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = parsed.definitions.filter((definition) => definition !== operation);
  return {
    name: operation?.name?.value ?? "Anonymous",
    type: operation?.operation ?? OperationTypeNode.QUERY,
    body: print({ ...parsed, definitions: operation ? [operation, ...fragments] : fragments }),
  };
}

/**
 * A browser navigating to the endpoint, as Apollo Server tells one apart: a GET that prefers
 * HTML and carries no query.
 */
function wantsPage(req: IncomingMessage): boolean {
  if (req.method !== "GET") return false;
  if (new URL(req.url ?? "/", "http://localhost").searchParams.has("query")) return false;
  const accept = req.headers.accept ?? "";
  return accept.includes("text/html");
}

const TITLES = { graphiql: "GraphiQL", sandbox: "Apollo Sandbox" };

/** The page: its configuration as a data block, its bundled script and stylesheet. */
export function pageHtml(page: "graphiql" | "sandbox", config: ExplorerConfig): string {
  // JSON in a data block: only "<" could end the element early.
  const data = JSON.stringify(config).replaceAll("<", "\\u003c");
  const stylesheet =
    page === "graphiql" ? `<link rel="stylesheet" href="${ASSETS_PATH}/graphiql.css" />` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Pulse API · ${TITLES[page]}</title>
  ${stylesheet}
  <style>html, body, #${page} { height: 100%; margin: 0; }</style>
  <script type="application/json" id="${EXPLORER_CONFIG_ELEMENT_ID}">${data}</script>
  <script defer src="${ASSETS_PATH}/${page}.js"></script>
</head>
<body>
  <div id="${page}"></div>
</body>
</html>`;
}
