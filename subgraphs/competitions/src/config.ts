import { loadConfig } from "@pulse/platform/server";
import { subgraphConfigSchema } from "@pulse/platform/subgraph";
import { z } from "zod";

/** Competitions' variables: the shared ones, the finisher's sweep and the demo activity feed. */
export const competitionsConfigSchema = subgraphConfigSchema(4005, {
  /** How often finished competitions are looked for, to apply their ratings (ms). */
  RATING_SWEEP_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Development only: every this many ms, syncs a little activity for a few demo participants
   * of the active demo competition, so a live leaderboard moves. 0 turns it off.
   */
  DEMO_ACTIVITY_MS: z.coerce.number().int().nonnegative().default(0),
});

export type CompetitionsConfig = z.infer<typeof competitionsConfigSchema>;

export const loadCompetitionsConfig = (source?: Record<string, string | undefined>) =>
  loadConfig(competitionsConfigSchema, source);
