import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "@pulse/platform/server";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { supergraphFromFile } from "./supergraph-file.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "pulse-supergraph-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Writes one version of the file as the kubelet's atomic writer lays out a ConfigMap volume. */
async function writeConfigMapVersion(version: string, content: string): Promise<void> {
  await mkdir(path.join(dir, version));
  await writeFile(path.join(dir, version, "supergraph.graphql"), content);
  await symlink(version, path.join(dir, "..data_tmp"));
  await rename(path.join(dir, "..data_tmp"), path.join(dir, "..data"));
}

it("reloads a supergraph mounted from a ConfigMap when the ConfigMap changes", async () => {
  await writeConfigMapVersion("..2026_12_07_10_00_00.1", "first");
  await symlink("..data/supergraph.graphql", path.join(dir, "supergraph.graphql"));
  const update = vi.fn();
  const hook = supergraphFromFile(
    path.join(dir, "supergraph.graphql"),
    createLogger("gateway", "silent"),
    true,
  );
  const loaded = await hook({
    update,
    healthCheck: async () => {},
    getDataSource: () => {},
  } as never);
  expect(loaded.supergraphSdl).toBe("first");

  await writeConfigMapVersion("..2026_12_07_10_05_00.2", "second");
  await expect.poll(() => update.mock.calls).toEqual([["second"]]);
  await loaded.cleanup?.();
});
