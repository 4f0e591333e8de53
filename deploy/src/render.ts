// `pnpm k8s:render <overlay> <migration|app|supergraph> [--tag TAG]`: the manifests of one part
// of a release as a YAML stream for `kubectl apply -f -`, each object validated against the
// Kubernetes schema first. The order of a rollout is in docs/deploy.md.
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import {
  appManifests,
  migrationManifests,
  supergraphManifests,
  type Manifest,
} from "./manifests.ts";
import { overlays } from "./overlays.ts";

/** The parts of a release, in the order they are applied (docs/deploy.md). */
const parts = { migration: migrationManifests, app: appManifests, supergraph: supergraphManifests };

/** The manifests as one YAML stream, after validating each. */
export function toYaml(manifests: Manifest[]): string {
  for (const manifest of manifests) manifest.validate();
  return manifests.map((manifest) => stringify(manifest.toJSON())).join("---\n");
}

function main(): void {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { tag: { type: "string" } },
  });
  const [overlayName, partName] = positionals;
  const overlay = overlays[overlayName ?? ""];
  const part = parts[partName as keyof typeof parts];
  if (!overlay || !part) {
    console.error(
      `usage: pnpm k8s:render <${Object.keys(overlays).join("|")}> <${Object.keys(parts).join("|")}> [--tag TAG]`,
    );
    process.exit(1);
  }
  // The images' tag: the commit by default, as CI tags the images it builds.
  const tag =
    values.tag ??
    execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  process.stdout.write(toYaml(part(overlay, tag)));
}

if (import.meta.filename === process.argv[1]) main();
