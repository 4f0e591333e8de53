export { createPulseClient, type PulseClient, type PulseClientOptions } from "./client.ts";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.ts";
export type { PulseDocument } from "./document.ts";
export {
  errorCodeOf,
  isUnauthenticated,
  PulseTransportError,
  type PulseErrorCode,
} from "./errors.ts";
export type { SubscriptionSink } from "./subscriptions.ts";
export { memoryTokens, type SessionTokens, type TokenStore } from "./tokens.ts";
export * from "./generated/graphql.ts";
export * from "./generated/fragment-masking.ts";
