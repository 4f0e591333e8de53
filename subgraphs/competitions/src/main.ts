// Starts the competitions subgraph: `pnpm --filter @pulse/competitions start`.
import { createLogger, runUntilSignal } from "@pulse/platform/server";
import { loadCompetitionsConfig } from "./config.ts";
import { createCompetitionsService } from "./server.ts";

const config = loadCompetitionsConfig();
const service = await createCompetitionsService(config);
runUntilSignal(createLogger("competitions", config.LOG_LEVEL), () => service.close());
await service.subgraph.listen(config.PORT, config.HOST);
