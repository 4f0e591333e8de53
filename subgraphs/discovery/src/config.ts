import { loadConfig } from "@pulse/platform/server";
import { subgraphConfigSchema } from "@pulse/platform/subgraph";
import type { z } from "zod";

/** Discovery reads only the variables every subgraph reads. */
export const discoveryConfigSchema = subgraphConfigSchema(4003, {});

export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;

export const loadDiscoveryConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(discoveryConfigSchema, source);
