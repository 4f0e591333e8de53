import type { IncomingMessage } from "node:http";
import { requestIdOf, signForwardedIdentity, type Viewer } from "@pulse/platform/server";
import type { AccessTokenVerifier } from "./access-tokens.ts";

/** What the gateway knows about a request and forwards to every subgraph fetch. */
export interface GatewayContext {
  requestId: string;
  viewer: Viewer | null;
  /** The signed identity header value subgraphs trust. */
  forwardedIdentity: string;
}

export interface GatewayContextOptions {
  verifier: AccessTokenVerifier;
  gatewaySecret: string;
  trustProxy: boolean;
}

/**
 * Builds each request's context: verifies the access token (a bad one fails the whole request
 * with UNAUTHENTICATED) and signs, once per request, what subgraphs need to know.
 */
export function createGatewayContext(options: GatewayContextOptions) {
  return async (req: IncomingMessage): Promise<GatewayContext> => {
    const requestId = requestIdOf(req);
    const viewer = await options.verifier.verify(req.headers.authorization);
    const forwardedIdentity = await signForwardedIdentity(
      { viewer, clientIp: clientAddress(req, options.trustProxy), requestId },
      options.gatewaySecret,
    );
    return { requestId, viewer, forwardedIdentity };
  };
}

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers["x-forwarded-for"];
  if (trustProxy && typeof forwarded === "string") {
    const first = forwarded.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}
