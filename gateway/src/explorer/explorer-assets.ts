import { createRequire } from "node:module";
import path from "node:path";
import type { RouteHandler } from "@pulse/platform/server";

/** Where the bundled files are served; the pages and Monaco's worker setup name these paths. */
export const ASSETS_PATH = "/explorer";

const browserDir = path.join(import.meta.dirname, "browser");

/**
 * The explorer's browser code, bundled from npm with esbuild on first request and kept in
 * memory: GraphiQL (with Monaco's three web workers) and Apollo Sandbox's embedding code. Nothing
 * comes from a CDN, so the explorer works offline. Development only: esbuild is loaded on demand.
 */
export class ExplorerAssets {
  private files: Promise<Map<string, Asset>> | undefined;

  /** One route per bundled file, under {@link ASSETS_PATH}. */
  routes(): Record<string, RouteHandler> {
    return Object.fromEntries(
      ASSET_FILES.map((file) => [`${ASSETS_PATH}/${file}`, this.serve(file)] as const),
    );
  }

  private serve(file: string): RouteHandler {
    return async (req, res) => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      const asset = (await this.bundle()).get(file);
      if (!asset) throw new Error(`explorer asset ${file} was not built`);
      res.writeHead(200, {
        "content-type": asset.contentType,
        "content-length": asset.body.byteLength,
        // Rebuilt on each gateway start (tsx watch restarts it on edits), so never cached.
        "cache-control": "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : asset.body);
    };
  }

  private bundle(): Promise<Map<string, Asset>> {
    this.files ??= buildAssets().catch((error: unknown) => {
      this.files = undefined; // a later request tries again
      throw error;
    });
    return this.files;
  }
}

interface Asset {
  contentType: string;
  body: Uint8Array;
}

/** Every file the build writes: one per entry point, and GraphiQL's stylesheet. */
const ENTRY_NAMES = ["graphiql", "sandbox", "editor.worker", "graphql.worker", "json.worker"];
const ASSET_FILES = [...ENTRY_NAMES.map((name) => `${name}.js`), "graphiql.css"];

async function buildAssets(): Promise<Map<string, Asset>> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: { ...pageEntryPoints(), ...monacoWorkerEntryPoints() },
    outdir: "/",
    write: false,
    bundle: true,
    // Classic scripts: Monaco starts its workers as classic workers.
    format: "iife",
    target: "es2022",
    minify: true,
    jsx: "automatic",
    legalComments: "none",
    define: { "process.env.NODE_ENV": '"production"' },
    // Monaco's icon font travels inside the stylesheet, so the page names no other files.
    loader: { ".ttf": "dataurl" },
    logLevel: "silent",
  });
  const files = new Map<string, Asset>();
  for (const output of result.outputFiles) {
    const file = path.basename(output.path);
    files.set(file, { contentType: contentTypeOf(file), body: output.contents });
  }
  return files;
}

function pageEntryPoints(): Record<string, string> {
  return {
    graphiql: path.join(browserDir, "graphiql.tsx"),
    sandbox: path.join(browserDir, "sandbox.ts"),
  };
}

/** Monaco's workers, from the packages GraphiQL's editor depends on (pnpm keeps them nested). */
function monacoWorkerEntryPoints(): Record<string, string> {
  const fromGateway = createRequire(import.meta.url);
  const fromGraphiql = createRequire(fromGateway.resolve("graphiql"));
  const fromEditor = createRequire(fromGraphiql.resolve("@graphiql/react"));
  return {
    "editor.worker": fromEditor.resolve("monaco-editor/esm/vs/editor/editor.worker.js"),
    "graphql.worker": fromEditor.resolve("monaco-graphql/esm/graphql.worker.js"),
    "json.worker": fromEditor.resolve("monaco-editor/esm/vs/language/json/json.worker.js"),
  };
}

function contentTypeOf(file: string): string {
  return file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
}
