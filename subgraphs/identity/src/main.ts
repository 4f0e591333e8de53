// Starts the identity subgraph: `pnpm --filter @pulse/identity start`.
import { createLogger, runUntilSignal } from "@pulse/platform/server";
import { loadIdentityConfig } from "./config.ts";
import { createIdentityService } from "./server.ts";

const config = loadIdentityConfig();
const service = await createIdentityService(config);
runUntilSignal(createLogger("identity", config.LOG_LEVEL), () => service.close());
await service.subgraph.listen(config.PORT, config.HOST);
