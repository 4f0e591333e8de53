import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, type RouteHandler } from "@pulse/platform/server";
import type { StripeWebhooks } from "./webhook.service.ts";

/** Stripe sends events of a few kilobytes; anything far larger is not Stripe. */
const MAX_BODY_BYTES = 1024 * 1024;

/** `POST /webhooks/stripe`: the raw body, byte for byte, is what the signature covers. */
export function stripeWebhookRoute(webhooks: StripeWebhooks): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") return sendJson(res, 405, { error: "POST only" });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return sendJson(res, 413, { error: "too large" });
      chunks.push(chunk as Buffer);
    }
    const signature = req.headers["stripe-signature"];
    const answer = await webhooks.receive(
      Buffer.concat(chunks),
      typeof signature === "string" ? signature : undefined,
    );
    sendJson(res, answer.status, answer.body);
  };
}
