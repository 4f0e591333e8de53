/**
 * What Kubernetes runs of Pulse: the gateway and every subgraph, with the resources each asks
 * for. The figures' sources are in docs/deploy.md#resources.
 */
export interface ServiceSpec {
  /** The workspace package without its scope; also the Deployment, Service and image name. */
  name: string;
  role: "gateway" | "subgraph";
  port: number;
  /** Replicas the autoscaler keeps, at least and at most, in production. */
  replicas: { min: number; max: number };
  resources: {
    requests: { cpu: string; memory: string };
    limits: { memory: string };
  };
  /** Secrets (by name) whose keys become the container's environment. */
  secrets: string[];
}

/** GATEWAY_SECRET and REDIS_URL: every process. */
export const SHARED_SECRET = "pulse-shared";
/** DATABASE_URL for the subgraphs; MIGRATION_DATABASE_URL, a role that may alter the schema. */
export const DATABASE_SECRET = "pulse-database";

/** A subgraph: the CPU request and replica range every subgraph shares, its memory its own. */
function subgraph(
  name: string,
  port: number,
  memory: { request: string; limit: string },
  ownSecrets: string[] = [],
): ServiceSpec {
  return {
    name,
    role: "subgraph",
    port,
    replicas: { min: 2, max: 6 },
    resources: {
      requests: { cpu: "250m", memory: memory.request },
      limits: { memory: memory.limit },
    },
    secrets: [SHARED_SECRET, DATABASE_SECRET, ...ownSecrets],
  };
}

export const gateway: ServiceSpec = {
  name: "gateway",
  role: "gateway",
  port: 4000,
  replicas: { min: 2, max: 10 },
  resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } },
  secrets: [SHARED_SECRET],
};

export const subgraphs: ServiceSpec[] = [
  subgraph("identity", 4001, { request: "320Mi", limit: "640Mi" }, ["pulse-identity"]),
  subgraph("profiles", 4002, { request: "384Mi", limit: "768Mi" }, ["pulse-profiles"]),
  subgraph("discovery", 4003, { request: "320Mi", limit: "640Mi" }),
  subgraph("chat", 4004, { request: "384Mi", limit: "768Mi" }),
  subgraph("competitions", 4005, { request: "320Mi", limit: "640Mi" }),
  subgraph("billing", 4006, { request: "320Mi", limit: "640Mi" }, ["pulse-billing"]),
];

export const services: ServiceSpec[] = [gateway, ...subgraphs];

/** Where every process serves /metrics, apart from its public port. */
export const METRICS_PORT = 9464;
