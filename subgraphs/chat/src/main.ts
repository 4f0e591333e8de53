// Starts the chat subgraph: `pnpm --filter @pulse/chat start`.
import { createLogger, runUntilSignal } from "@pulse/platform/server";
import { loadChatConfig } from "./config.ts";
import { createChatService } from "./server.ts";

const config = loadChatConfig();
const service = await createChatService(config);
runUntilSignal(createLogger("chat", config.LOG_LEVEL), () => service.close());
await service.subgraph.listen(config.PORT, config.HOST);
