// Starts the discovery subgraph: `pnpm --filter @pulse/discovery start`.
import { createLogger, runUntilSignal } from "@pulse/platform/server";
import { loadDiscoveryConfig } from "./config.ts";
import { createDiscoveryService } from "./server.ts";

const config = loadDiscoveryConfig();
const service = await createDiscoveryService(config);
runUntilSignal(createLogger("discovery", config.LOG_LEVEL), () => service.close());
await service.subgraph.listen(config.PORT, config.HOST);
