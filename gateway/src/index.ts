export { createGateway, type Gateway } from "./gateway.ts";
export { gatewayConfigSchema, loadGatewayConfig, type GatewayConfig } from "./config.ts";
