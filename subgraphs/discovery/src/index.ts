export { buildDiscoverySchema } from "./schema.ts";
export { createDiscoveryService, type DiscoveryService } from "./server.ts";
export { discoveryConfigSchema, loadDiscoveryConfig, type DiscoveryConfig } from "./config.ts";
