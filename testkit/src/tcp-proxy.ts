import net from "node:net";

/**
 * A TCP proxy in front of a server the test must not disturb (the machine's Postgres and Redis
 * serve other runs): cutting it is, for whoever connects through it, that server going down.
 */
export interface TcpProxy {
  /** `host:port` of the proxy, to put in a URL in place of the target's. */
  readonly address: string;
  /** Whether connections pass now. */
  readonly up: boolean;
  /** Closes every connection through it and refuses new ones (connection refused). */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP load balancer in front of replicas, as a Kubernetes Service is: each new connection goes
 * to the next target in turn, and one that refuses it (a replica that died) is skipped for the
 * next. A connection stays with the replica it reached, and ends when that replica goes away.
 */
export interface TcpBalancer extends TcpProxy {
  /** `host:port` of each replica; replacing the list changes where new connections go. */
  targets: string[];
  /** Connections open now, by target. */
  openConnections(): Map<string, number>;
  /** Connections made so far, by target. */
  connectionsMade(): Map<string, number>;
}

/** Starts a proxy on a free port of 127.0.0.1 to `target` (`host:port`). */
export function startTcpProxy(target: string): Promise<TcpProxy> {
  return startTcpBalancer([target]);
}

/** Starts a balancer on a free port of 127.0.0.1 over `targets` (`host:port` each). */
export async function startTcpBalancer(targets: string[]): Promise<TcpBalancer> {
  const sockets = new Set<net.Socket>();
  const open = new Map<net.Socket, string>();
  const made = new Map<string, number>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      open.delete(socket);
    });
  };
  let next = 0;
  /** Connects `client` to the next target that accepts, trying each once; else ends it. */
  const connect = (client: net.Socket, tried = 0) => {
    const candidates = balancer.targets;
    if (client.destroyed) return;
    if (tried >= candidates.length) return void client.destroy();
    const target = candidates[next++ % candidates.length]!;
    const [host, port] = splitAddress(target);
    const upstream = net.connect(port, host);
    track(upstream);
    let connected = false;
    upstream.once("error", () => {
      if (connected) client.destroy();
      else connect(client, tried + 1);
    });
    upstream.once("connect", () => {
      connected = true;
      if (client.destroyed) return void upstream.destroy();
      open.set(upstream, target);
      made.set(target, (made.get(target) ?? 0) + 1);
      // A reset on one side ends the other, as a dead server would.
      client.once("close", () => upstream.destroy());
      upstream.once("close", () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
  };
  // Paused until a target accepted, so what the client sends first waits for it.
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    client.once("error", () => client.destroy());
    connect(client);
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

  const balancer: TcpBalancer = {
    targets,
    address: `127.0.0.1:${port}`,
    get up() {
      return up;
    },
    openConnections() {
      const counts = new Map<string, number>();
      for (const target of open.values()) counts.set(target, (counts.get(target) ?? 0) + 1);
      return counts;
    },
    connectionsMade: () => new Map(made),
    cut,
    async restore() {
      if (up) return;
      await listen(server, port);
      up = true;
    },
    close: cut,
  };
  return balancer;
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
