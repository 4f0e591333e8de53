import { createServer } from "node:net";
import { freePort } from "../lib/free-port.ts";

/**
 * Whether nothing listens on `port`, found by briefly listening on it on every interface (which
 * also collides with a server bound to 127.0.0.1 only).
 */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** `preferred` when it is free, otherwise any free port. */
export async function preferredPort(preferred: number): Promise<number> {
  return (await portIsFree(preferred)) ? preferred : freePort();
}
