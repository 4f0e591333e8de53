import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, type Logger, type RouteHandler } from "@pulse/platform/server";
import { request } from "undici";

/** HTTP routes the gateway hands to a subgraph as they are, by path. */
export const PASSED_THROUGH_ROUTES: Record<string, string> = {
  /** Stripe's webhooks: billing verifies the signature over the exact bytes Stripe sent. */
  "/webhooks/stripe": "billing",
};

/** Headers a webhook sender's request keeps on its way to the subgraph. */
const FORWARDED_HEADERS = ["content-type", "stripe-signature", "user-agent"];

/** The base URL of each subgraph in a supergraph (`@join__graph(name:, url:)`), by name. */
export function subgraphBaseUrls(supergraphSdl: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const match of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) {
    urls[match[1]!] = new URL(match[2]!).origin;
  }
  return urls;
}

/**
 * A route that forwards the request to `subgraph`'s same path with its body streamed through
 * untouched (a signature covers its bytes), and answers with the subgraph's status and body.
 * The gateway signs no identity for it: the subgraph authenticates the sender itself.
 */
export function passThrough(
  path: string,
  subgraph: string,
  baseUrlOf: (subgraph: string) => string | undefined,
  logger: Logger,
): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") return sendJson(res, 405, { error: "POST only" });
    const base = baseUrlOf(subgraph);
    if (!base) return sendJson(res, 503, { error: `${subgraph} is not in the supergraph` });
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    try {
      const upstream = await request(new URL(path, base), {
        method: "POST",
        headers,
        body: req,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const body = Buffer.from(await upstream.body.arrayBuffer());
      const type = upstream.headers["content-type"];
      res.writeHead(upstream.statusCode, {
        "content-type": typeof type === "string" ? type : "application/json",
      });
      res.end(body);
    } catch (error) {
      logger.warn({ err: error, subgraph, path }, "pass-through request failed");
      if (!res.headersSent) sendJson(res, 502, { error: "upstream unavailable" });
    }
  };
}
