import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { migrationAdapterFactory } from "./adapter.ts";

/**
 * The module's instantiation, kept on `globalThis`: the bindings module is Node's, one per
 * process, but this file may be loaded more than once (vitest loads each project's global setup
 * through its own module graph). A second instantiation would swap the WebAssembly instance under
 * an engine still running on the first, which panics (`pnpm test` running the int and e2e
 * projects' setups at once).
 */
const LOADED = Symbol.for("@pulse/db schema engine wasm");
const shared = globalThis as { [LOADED]?: Promise<void> };

/**
 * Instantiates the schema engine's WebAssembly module once per process.
 *
 * The package entry imports its `.wasm` file as an ES module, which Node cannot load, so the
 * module is instantiated here with the generated JS bindings as its import object.
 */
function loadWasm(): Promise<void> {
  shared[LOADED] ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(bindingsPath), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return shared[LOADED];
}

/** The schema files as the engine takes them: `[fileName, content]` pairs. */
export type Datamodels = [string, string][];

/**
 * Opens Prisma's official schema engine (WASM build) on a Postgres database through the same
 * driver adapter the application uses, so no native engine binary has to be downloaded.
 */
export async function openSchemaEngine(
  connectionString: string,
  datamodels: Datamodels,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  await loadWasm();
  const adapter = bindMigrationAwareSqlAdapterFactory(migrationAdapterFactory(connectionString));
  // `SchemaEngine` is declared with the package entry's types; the bindings export the same class.
  const Engine = (bindings as unknown as { SchemaEngine: typeof SchemaEngine }).SchemaEngine;
  return Engine.new({ datamodels }, log, adapter);
}
