export {
  LocalStripe,
  type CheckoutOutcome,
  type Delivery,
  type LocalStripeOptions,
  type SendOptions,
  type WebhookEndpoint,
} from "./server.ts";
export { API_VERSION, stripeId } from "./fixtures.ts";
