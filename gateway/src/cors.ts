import type { IncomingMessage, ServerResponse } from "node:http";
import { REQUEST_ID_HEADER, type RouteHandler } from "@pulse/platform/server";
import cors from "cors";

/** Which browser origins may call the API: a list, or any loopback origin (development). */
export type AllowedOrigins = readonly string[] | "loopback";

/** `http://localhost:<port>`, `http://127.0.0.1:<port>` or `http://[::1]:<port>`, any port. */
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export function isAllowedOrigin(origin: string, allowed: AllowedOrigins): boolean {
  return allowed === "loopback" ? LOOPBACK_ORIGIN.test(origin) : allowed.includes(origin);
}

/**
 * Cross-origin access to `/graphql` with the `cors` package: allowed origins get
 * `Access-Control-Allow-Origin` (their own, with `Vary: Origin`) and a preflight (`OPTIONS`,
 * 204) naming what a GraphQL client sends; any other origin gets no CORS headers, so browsers
 * keep its pages from reading answers. No credentials: access tokens travel in the
 * Authorization header, never in cookies.
 */
export function withCors(allowed: AllowedOrigins, handler: RouteHandler): RouteHandler {
  const middleware = cors({
    origin: (origin, callback) =>
      callback(null, origin !== undefined && isAllowedOrigin(origin, allowed)),
    methods: ["GET", "POST"],
    allowedHeaders: [
      "authorization",
      "content-type",
      "accept",
      "apollo-require-preflight",
      "x-apollo-operation-name",
      REQUEST_ID_HEADER,
    ],
    exposedHeaders: [REQUEST_ID_HEADER, "retry-after"],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
  return (req: IncomingMessage, res: ServerResponse) =>
    new Promise<void>((resolve, reject) => {
      // On a preflight the middleware answers and ends without calling `next`.
      res.once("finish", resolve);
      middleware(req, res, (error?: unknown) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        Promise.resolve(handler(req, res)).then(resolve, reject);
      });
    });
}
