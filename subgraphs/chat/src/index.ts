export { buildChatSchema } from "./schema.ts";
export { createChatService, type ChatService } from "./server.ts";
export { chatConfigSchema, loadChatConfig, type ChatConfig } from "./config.ts";
