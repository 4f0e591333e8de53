import { loadConfig, subgraphConfigSchema } from "@pulse/platform";
import type { z } from "zod";

/** Discovery reads only the variables every subgraph reads. */
export const discoveryConfigSchema = subgraphConfigSchema(4003, {});

export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;

export const loadDiscoveryConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(discoveryConfigSchema, source);
