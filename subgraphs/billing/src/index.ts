export { buildBillingSchema } from "./schema.ts";
export { createBillingReconciler, createBillingService, type BillingService } from "./server.ts";
export { billingConfigSchema, loadBillingConfig, type BillingConfig } from "./config.ts";
export { PLAN_PRICES } from "./plan/plan-catalog.service.ts";
