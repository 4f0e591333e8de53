// Starts the gateway: `pnpm --filter @pulse/gateway start`.
import { createLogger, runUntilSignal } from "@pulse/platform/server";
import { loadGatewayConfig } from "./config.ts";
import { createGateway } from "./gateway.ts";

const config = loadGatewayConfig();
const logger = createLogger("gateway", config.LOG_LEVEL);
const gateway = createGateway(config, logger);
runUntilSignal(logger, () => gateway.close());
await gateway.listen(config.PORT, config.HOST);
