import { loadConfig } from "@pulse/platform/server";
import { subgraphConfigSchema } from "@pulse/platform/subgraph";
import type { z } from "zod";

/** Chat reads only the variables every subgraph reads. */
export const chatConfigSchema = subgraphConfigSchema(4004, {});

export type ChatConfig = z.infer<typeof chatConfigSchema>;

export const loadChatConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(chatConfigSchema, source);
