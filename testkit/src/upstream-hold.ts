import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";

/**
 * A TCP proxy in front of a subgraph that can hold the gateway's subscription sockets, to stand
 * for a slow hop between them. HTTP passes through untouched. While held, whatever the gateway
 * writes on a WebSocket (its upgrade request while the socket is still connecting, or its
 * `subscribe` frames on an open one) waits in the proxy; `release` lets it go, in order.
 */
export interface UpstreamHold {
  /** The proxy's base URL: give `${url}/graphql` to a gateway as the subgraph's URL. */
  url: string;
  /** From now on, holds what the gateway writes on its subscription sockets. */
  hold(): void;
  /**
   * Resolves once the proxy holds something the gateway wrote after `hold()`: the gateway has
   * received a client's `subscribe` and is starting it upstream.
   */
  untilHolding(): Promise<void>;
  /** Sends on what it held and holds no more. */
  release(): void;
  close(): Promise<void>;
}

/** The start of an HTTP request that asks to become a WebSocket. */
const WEBSOCKET_UPGRADE = /^GET [^\r\n]*\r\n(?:[^\r\n]+\r\n)*upgrade: *websocket\r\n/i;

/** Starts an {@link UpstreamHold} in front of the subgraph at `targetUrl` (its base URL). */
export async function startUpstreamHold(targetUrl: string): Promise<UpstreamHold> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const gates = new Set<Gate>();
  let holding = false;
  let heldSomething: (() => void) | null = null;

  /** The gateway-to-subgraph half of one WebSocket connection. */
  class Gate {
    private readonly queue: Buffer[] = [];
    /** Whether the gateway ended its side, to be passed on after what is held. */
    private ended = false;
    constructor(private readonly upstream: Socket) {}
    write(chunk: Buffer): void {
      if (!holding) {
        this.upstream.write(chunk);
        return;
      }
      this.queue.push(chunk);
      heldSomething?.();
    }
    end(): void {
      this.ended = true;
      if (this.queue.length === 0) this.upstream.end();
    }
    flush(): void {
      for (const chunk of this.queue.splice(0)) this.upstream.write(chunk);
      if (this.ended) this.upstream.end();
    }
  }

  const server = createServer((downstream) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        downstream.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(downstream);
    downstream.once("data", (first: Buffer) => {
      if (!WEBSOCKET_UPGRADE.test(first.toString("latin1"))) {
        upstream.write(first);
        downstream.pipe(upstream);
        return;
      }
      const gate = new Gate(upstream);
      gates.add(gate);
      downstream.on("close", () => gates.delete(gate));
      downstream.on("data", (chunk: Buffer) => gate.write(chunk));
      downstream.on("end", () => gate.end());
      gate.write(first);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  let held: Promise<void> = Promise.resolve();

  return {
    url: `http://127.0.0.1:${port}`,
    hold() {
      holding = true;
      held = new Promise((resolve) => {
        heldSomething = () => {
          heldSomething = null;
          resolve();
        };
      });
    },
    untilHolding: () => held,
    release() {
      holding = false;
      heldSomething = null;
      for (const gate of gates) gate.flush();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}
