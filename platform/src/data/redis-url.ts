// Reading REDIS_URL, apart from the client: the configuration check imports it, and it is loaded
// before tracing instruments ioredis (telemetry/register.ts), so it must not load ioredis.

/** `redis+cluster://` and `rediss+cluster://` (TLS): a cluster, by some of its nodes. */
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/@?#]+)\/?$/;

export interface ClusterAddress {
  /** Nodes to learn the cluster's layout from: any reachable one will do. */
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * The cluster a `redis+cluster://[user:password@]host:port,host:port` URL names, or undefined for
 * any other URL (one server). Throws on a cluster URL whose node list is malformed.
 */
export function parseClusterUrl(url: string): ClusterAddress | undefined {
  const match = CLUSTER_URL.exec(url);
  if (!match) {
    if (url.includes("+cluster:")) throw new Error("a cluster URL is redis+cluster://host:port,…");
    return undefined;
  }
  const [, scheme, credentials, hosts] = match;
  const nodes = hosts!.split(",").map((node) => {
    const parsed = /^([^:,\s]+|\[[^\]]+\]):(\d{1,5})$/.exec(node.trim());
    if (!parsed || Number(parsed[2]) > 65535) throw new Error(`"${node}" is not host:port`);
    return { host: parsed[1]!.replace(/^\[|\]$/g, ""), port: Number(parsed[2]) };
  });
  const [username, password] = credentials === undefined ? [] : splitCredentials(credentials);
  return {
    nodes,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    tls: scheme === "rediss",
  };
}

function splitCredentials(credentials: string): [string | undefined, string | undefined] {
  const colon = credentials.indexOf(":");
  if (colon < 0) return [decodeURIComponent(credentials), undefined];
  return [
    decodeURIComponent(credentials.slice(0, colon)),
    decodeURIComponent(credentials.slice(colon + 1)),
  ];
}
