// Starts the billing subgraph: `pnpm --filter @pulse/billing start`.
import { createLogger, runUntilSignal } from "@pulse/platform/server";
import { loadBillingConfig } from "./config.ts";
import { createBillingService } from "./server.ts";

const config = loadBillingConfig();
const service = await createBillingService(config);
runUntilSignal(createLogger("billing", config.LOG_LEVEL), () => service.close());
await service.subgraph.listen(config.PORT, config.HOST);
