import { watch } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { SupergraphSdlHook } from "@apollo/gateway";
import type { Logger } from "@pulse/platform/server";

/**
 * Supplies the gateway with the supergraph from a file and, when `watchForChanges`, hands it
 * every new version written there (by `pnpm compose`). A version that fails to load is logged
 * and the gateway keeps serving the previous one.
 */
export function supergraphFromFile(
  file: string,
  logger: Logger,
  watchForChanges: boolean,
): SupergraphSdlHook {
  return async ({ update }) => {
    let current = await readFile(file, "utf8");
    if (!watchForChanges) return { supergraphSdl: current };
    let debounce: NodeJS.Timeout | undefined;
    // The folder, not the file: editors and `writeFile` may replace the file's inode. Any name:
    // a Kubernetes ConfigMap volume changes the file by swapping its `..data` symlink, so the
    // events name `..data`, never the file; reading it again and comparing is cheap.
    const watcher = watch(path.dirname(file), () => {
      clearTimeout(debounce);
      debounce = setTimeout(async () => {
        try {
          const next = await readFile(file, "utf8");
          if (next === current) return;
          update(next);
          current = next;
          logger.info({ file }, "supergraph reloaded");
        } catch (error) {
          logger.error({ err: error, file }, "supergraph reload failed, keeping the previous one");
        }
      }, 100);
    });
    return {
      supergraphSdl: current,
      cleanup: async () => {
        clearTimeout(debounce);
        watcher.close();
      },
    };
  };
}
