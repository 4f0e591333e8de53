export { buildIdentitySchema } from "./schema.ts";
export { createIdentityService, type IdentityService } from "./server.ts";
export { identityConfigSchema, loadIdentityConfig, type IdentityConfig } from "./config.ts";
