// Starts the identity subgraph: `pnpm --filter @pulse/identity start`.
import { createLogger, runUntilSignal } from "@pulse/platform";
import { loadIdentityConfig } from "./config.ts";
import { createIdentityService } from "./server.ts";

const config = loadIdentityConfig();
const service = await createIdentityService(config);
// Before listening: a SIGTERM that follows the "listening" line must find its handler.
runUntilSignal(createLogger("identity", config.LOG_LEVEL), () => service.close());
await service.subgraph.listen(config.PORT, config.HOST);
