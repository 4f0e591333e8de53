// Starts the profiles subgraph: `pnpm --filter @pulse/profiles start`.
import { createLogger, runUntilSignal } from "@pulse/platform/server";
import { loadProfilesConfig } from "./config.ts";
import { createProfilesService } from "./server.ts";

const config = loadProfilesConfig();
const service = await createProfilesService(config);
runUntilSignal(createLogger("profiles", config.LOG_LEVEL), () => service.close());
await service.subgraph.listen(config.PORT, config.HOST);
