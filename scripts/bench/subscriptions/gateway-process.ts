// A role process: the gateway, configured by its environment, on a free loopback port.
import { createGateway, gatewayConfigSchema } from "@pulse/gateway";
import { createLogger } from "@pulse/platform/server";
import { serveParent } from "./child-ipc.ts";

const config = gatewayConfigSchema.parse(process.env);
const gateway = createGateway(config, createLogger("gateway", config.LOG_LEVEL));
const url = await gateway.listen(0, "127.0.0.1");
serveParent(url, () => gateway.close());
