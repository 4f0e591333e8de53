import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { isInternalError } from "../errors/format-error.ts";
import type { Logger } from "../logging/logger.ts";
import { requestIdOf } from "./service-server.ts";

/** The largest request body any of our servers reads; larger ones are answered 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Serves an Apollo Server on Node's http server: the few lines an integration package would add,
 * without a web framework. Streams incremental (`@defer`) responses chunk by chunk. A context that
 * fails for a reason of ours (not a refused token) is logged here: Apollo's plugins never see it.
 */
export function apolloRequestHandler<Context extends BaseContext>(
  server: ApolloServer<Context>,
  context: (req: IncomingMessage) => Promise<Context>,
  logger: Logger,
) {
  const contextOf = async (req: IncomingMessage) => {
    try {
      return await context(req);
    } catch (error) {
      if (isInternalError(error)) {
        logger.error({ err: error, requestId: requestIdOf(req) }, "request context failed");
      }
      throw error;
    }
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJsonBody(req);
    if (body === tooLarge) {
      res.writeHead(413, { "content-type": "application/json", connection: "close" });
      res.end(
        JSON.stringify({
          errors: [{ message: "Request body too large", extensions: { code: "BAD_USER_INPUT" } }],
        }),
      );
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
      context: () => contextOf(req),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

const tooLarge = Symbol("tooLarge");

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (req.method !== "POST") return undefined;
  const bytes = await readBody(req);
  if (bytes === tooLarge) return tooLarge;
  const text = bytes.toString("utf8");
  if (!(req.headers["content-type"] ?? "").includes("application/json")) return text;
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    // Apollo answers an unparsable body with a 400 of its own.
    return text;
  }
}

/** Past the body limit, how much more is read and dropped before the socket is cut. */
const MAX_DROPPED_BYTES = 8 * MAX_BODY_BYTES;

/**
 * The body, or `tooLarge` past MAX_BODY_BYTES. Past the limit the rest is read and dropped
 * (up to MAX_DROPPED_BYTES) rather than the stream destroyed: destroying it resets the socket,
 * and the client would get ECONNRESET instead of the 413 (the 413 closes the connection).
 */
function readBody(req: IncomingMessage): Promise<Buffer | typeof tooLarge> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      let dropped = 0;
      req.on("data", (rest: Buffer) => {
        dropped += rest.length;
        if (dropped > MAX_DROPPED_BYTES) req.destroy();
      });
      resolve(tooLarge);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}
