import net from "node:net";

/**
 * A TCP proxy in front of a server the test must not disturb (the machine's Postgres and Redis
 * serve other runs): cutting it is, for whoever connects through it, that server going down.
 * In front of several servers it is a load balancer as a Kubernetes Service is one: each new
 * connection goes to the next of them in turn.
 */
export interface TcpProxy {
  /** `host:port` of the proxy, to put in a URL in place of the target's. */
  readonly address: string;
  /** Connections made so far to each target, by its `host:port`. */
  readonly connections: Readonly<Record<string, number>>;
  /** Whether connections pass now. */
  readonly up: boolean;
  /** Closes every connection through it and refuses new ones (connection refused). */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a proxy on a free port of 127.0.0.1 to `target` (`host:port`), or to several targets
 * in turn, connection by connection, starting with the first.
 */
export async function startTcpProxy(target: string | string[]): Promise<TcpProxy> {
  const targets = typeof target === "string" ? [target] : target;
  const connections: Record<string, number> = Object.fromEntries(targets.map((t) => [t, 0]));
  let made = 0;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    const next = targets[made++ % targets.length]!;
    connections[next]! += 1;
    const [targetHost, targetPort] = splitAddress(next);
    const upstream = net.connect(targetPort, targetHost);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    // A reset on one side ends the other, as a dead server would.
    client.once("error", () => upstream.destroy());
    upstream.once("error", () => client.destroy());
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  await listen(server, 0);
  const port = (server.address() as net.AddressInfo).port;
  let up = true;
  const cut = async () => {
    if (!up) return;
    up = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  return {
    address: `127.0.0.1:${port}`,
    connections,
    get up() {
      return up;
    },
    cut,
    async restore() {
      if (up) return;
      await listen(server, port);
      up = true;
    },
    close: cut,
  };
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const proxied = new URL(url);
  proxied.host = proxy.address;
  return proxied.toString();
}

/** The `host:port` a `postgresql://` or `redis://` URL names (default ports filled in). */
export function addressOf(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === "redis:" ? "6379" : "5432");
  return `${parsed.hostname}:${port}`;
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(":");
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
