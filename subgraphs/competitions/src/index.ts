export { buildCompetitionsSchema } from "./schema.ts";
export { createCompetitionsService, type CompetitionsService } from "./server.ts";
export {
  competitionsConfigSchema,
  loadCompetitionsConfig,
  type CompetitionsConfig,
} from "./config.ts";
