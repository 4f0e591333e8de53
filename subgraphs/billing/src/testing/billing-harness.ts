import { randomBytes, randomUUID } from "node:crypto";
import { type Viewer } from "@pulse/platform/server";
import { Outbox, type DomainEventPayload, type DomainEventType } from "@pulse/platform/subgraph";
import { startTestStripe, type LocalStripe } from "@pulse/testkit/local-stripe";
import { connectHarness, type HarnessInfrastructure } from "@pulse/testkit/subgraph-harness";
import type Stripe from "stripe";
import { inject } from "vitest";
import { billingConfigSchema } from "../config.ts";
import { createBillingContext, type BillingContext } from "../context.ts";
import { billingEventHandlers } from "../events/handlers.ts";
import { createBillingParts, type BillingParts } from "../server.ts";

/**
 * Billing's services on this run's database, a Redis prefix of their own and a local Stripe
 * server of their own with no webhook endpoint: tests hand events to `webhook` themselves.
 */
export interface BillingHarness extends BillingParts, Omit<HarnessInfrastructure, "deliver"> {
  local: LocalStripe;
  webhookSecret: string;
  context(viewer: Viewer | null): BillingContext;
  /** Handles a domain event the way the consumer does, in one transaction. */
  deliver<Type extends DomainEventType>(
    type: Type,
    payload: DomainEventPayload<Type>,
  ): Promise<void>;
  /** Posts `event` to the webhook service as Stripe would, signed with `secret` (the right one by default). */
  webhook(event: Stripe.Event, secret?: string): ReturnType<BillingParts["webhooks"]["receive"]>;
}

export async function startBillingHarness(): Promise<BillingHarness> {
  const testStripe = await startTestStripe();
  const { deliver, close, ...infra } = connectHarness("billing");
  const config = billingConfigSchema.parse({
    NODE_ENV: "test",
    DATABASE_URL: inject("databaseUrl"),
    REDIS_URL: inject("redisUrl"),
    REDIS_PREFIX: infra.redisPrefix,
    GATEWAY_SECRET: randomBytes(32).toString("base64url"),
    ...testStripe.env,
  });
  const parts = createBillingParts({ config, ...infra, outbox: new Outbox("billing") });
  const handlers = billingEventHandlers({ ...parts, logger: infra.logger });
  return {
    ...infra,
    ...parts,
    local: testStripe.stripe,
    webhookSecret: testStripe.webhookSecret,
    context: (viewer) =>
      createBillingContext({ viewer, clientIp: "127.0.0.1", requestId: randomUUID() }, parts),
    deliver: (type, payload) => deliver(handlers, type, payload),
    webhook(event, secret = testStripe.webhookSecret) {
      const payload = JSON.stringify(event);
      return parts.webhooks.receive(
        Buffer.from(payload),
        testStripe.stripe.signature(payload, secret),
      );
    },
    async close() {
      await testStripe.stripe.close();
      await close();
    },
  };
}
