export { buildProfilesSchema } from "./schema.ts";
export { createProfilesService, type ProfilesService } from "./server.ts";
export { profilesConfigSchema, loadProfilesConfig, type ProfilesConfig } from "./config.ts";
